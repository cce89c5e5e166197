import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP proxy in front of several app processes, as a load balancer would stand before
 * replicas: each incoming connection goes to the next upstream in turn. The checks open one
 * connection per request, so consecutive requests land on alternating replicas.
 */
export interface RoundRobinProxy {
  readonly port: number;
  readonly baseUrl: string;
  /** Connections handed to each upstream port so far. */
  readonly connections: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreamPorts: number[]): Promise<RoundRobinProxy> {
  if (upstreamPorts.length === 0) {
    throw new Error('A proxy needs at least one upstream.');
  }
  const connections = new Map<number, number>(upstreamPorts.map((port) => [port, 0]));
  const open = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((downstream) => {
    const port = upstreamPorts[next % upstreamPorts.length];
    next += 1;
    connections.set(port, (connections.get(port) ?? 0) + 1);
    const upstream = connect({ host: '127.0.0.1', port });
    for (const socket of [downstream, upstream]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    }
    // A reset on one side resets the other: the client sees what it would see without the proxy.
    downstream.on('error', () => upstream.destroy());
    upstream.on('error', () => downstream.destroy());
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of open) {
          socket.destroy();
        }
        server.close(() => resolveClose());
      }),
  };
}
