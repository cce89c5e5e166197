import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig, loadDotEnvFile } from '../src/config/config';
import { prepareDatabase } from '../src/database/database-roles';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/database/embedded-postgres';
import { SEED_CLIENT_SECRET, SEED_PASSWORD } from '../src/seed/credentials';
import { ENDPOINTS, type Endpoint, type Fixtures } from './endpoints';

/**
 * `npm run bench [-- --quick] [-- --duration S --rounds N --only a,b --no-build]`: the API against
 * the bare ceiling (bench/ceiling.ts) on a seeded database, interleaved (ceiling, API, ceiling, API …),
 * medians over rounds. See the README, "Benchmarks".
 */

const ROOT = resolve(__dirname, '..');

interface Arguments {
  quick: boolean;
  duration: number;
  warmup: number;
  rounds: number;
  only: string[] | null;
  build: boolean;
  /** Writes a V8 CPU profile of the API to bench/tmp/profiles/ (`node --cpu-prof`). */
  profile: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const quick = argv.includes('--quick');
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    quick,
    duration: Number(value('--duration') ?? (quick ? 2 : 10)),
    warmup: Number(value('--warmup') ?? (quick ? 1 : 3)),
    rounds: Number(value('--rounds') ?? (quick ? 1 : 3)),
    only: value('--only')?.split(',') ?? null,
    build: !argv.includes('--no-build'),
    profile: argv.includes('--profile'),
  };
}

function log(message: string): void {
  console.error(`[bench] ${message}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

interface Server {
  name: 'ceiling' | 'api';
  url: string;
  process: ChildProcess;
}

async function startServer(
  name: Server['name'],
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited during start-up (${child.exitCode}): ${stderr}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.ok) {
        return { name, url, process: child };
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`${name} did not become ready within 120 s: ${stderr}`);
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

/** The Node flags production runs the API with: those of package.json's `start:prod` (the heap budget). */
async function productionNodeFlags(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...words] = manifest.scripts['start:prod'].split(/\s+/);
  if (command !== 'node' || words[words.length - 1] !== 'dist/src/main.js') {
    throw new Error(`start:prod is not "node [flags] dist/src/main.js": ${manifest.scripts['start:prod']}`);
  }
  return words.slice(0, -1);
}

async function stopServer(server: Server): Promise<void> {
  if (server.process.exitCode !== null) {
    return;
  }
  const exited = new Promise((done) => server.process.once('exit', done));
  server.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((wait) => setTimeout(wait, 15_000))]);
  if (server.process.exitCode === null) {
    server.process.kill('SIGKILL');
  }
}

/** Peak resident memory (VmHWM) and CPU time (ms) of a process, from /proc. */
async function processStats(pid: number | undefined): Promise<{ peakRssMb: number; cpuMs: number }> {
  if (pid === undefined || process.platform !== 'linux') {
    return { peakRssMb: 0, cpuMs: 0 };
  }
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    return { peakRssMb: Math.round(peak), cpuMs: (ticks * 1000) / 100 };
  } catch {
    return { peakRssMb: 0, cpuMs: 0 };
  }
}

type StatementSource = 'pg_stat_statements' | 'pg_stat_database';

/** Statements (pg_stat_statements calls of the runtime role) or transactions+tuples (pg_stat_database). */
async function databaseCounters(
  admin: Client,
  source: StatementSource,
  role: string,
): Promise<Record<string, number>> {
  if (source === 'pg_stat_statements') {
    const { rows } = await admin.query<{ calls: string }>(
      // The API's job workers poll pg-boss meanwhile: not part of any request, left out.
      `SELECT coalesce(sum(s.calls), 0) AS calls FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE r.rolname = $1 AND s.query NOT LIKE '%pgboss.%'`,
      [role],
    );
    return { statements: Number(rows[0].calls) };
  }
  const { rows } = await admin.query<Record<string, string>>(
    `SELECT xact_commit + xact_rollback AS transactions, tup_returned + tup_fetched AS tuples_read, tup_inserted AS tuples_inserted
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([key, value]) => [key, Number(value)]));
}

interface Measurement {
  server: Server['name'];
  round: number;
  rps: number;
  p50: number;
  /** autocannon reports no p95; p97.5 is the next percentile above it (a conservative stand-in). */
  p97_5: number;
  p99: number;
  errors: number;
  requests: number;
  perRequest: Record<string, number>;
  serverCpuMsPerRequest: number;
  peakRssMb: number;
}

async function measure(
  endpoint: Endpoint,
  server: Server,
  fixtures: Fixtures,
  admin: Client,
  source: StatementSource,
  role: string,
  args: Arguments,
  round: number,
): Promise<Measurement> {
  let counter = 0;
  const token = fixtures.tokens[endpoint.token];
  const requests = [
    {
      setupRequest: (request: autocannon.RawRequest) => {
        const index = counter++;
        const body = endpoint.body?.(fixtures, index);
        return {
          ...request,
          method: endpoint.method,
          path: endpoint.path(fixtures, index),
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(endpoint.headers?.(index) ?? {}),
          },
          body,
        };
      },
    },
  ];
  if (args.warmup > 0) {
    await autocannon({ url: server.url, connections: endpoint.connections, duration: args.warmup, requests });
  }
  const before = await databaseCounters(admin, source, role);
  const cpuBefore = await processStats(server.process.pid);
  const result = await autocannon({
    url: server.url,
    connections: endpoint.connections,
    duration: args.duration,
    requests,
    timeout: 30,
  });
  const cpuAfter = await processStats(server.process.pid);
  const after = await databaseCounters(admin, source, role);
  const total = result.requests.total;
  const perRequest = Object.fromEntries(
    Object.keys(after).map((key) => [
      key,
      total > 0 ? Math.round(((after[key] - before[key]) / total) * 100) / 100 : 0,
    ]),
  );
  return {
    server: server.name,
    round,
    rps: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    // A workload that never answered within the window is a failure too.
    errors: result.errors + result.timeouts + result.non2xx + (total === 0 ? 1 : 0),
    requests: total,
    perRequest,
    serverCpuMsPerRequest:
      total > 0 ? Math.round(((cpuAfter.cpuMs - cpuBefore.cpuMs) / total) * 1000) / 1000 : 0,
    peakRssMb: cpuAfter.peakRssMb,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function signIn(url: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (!response.ok) {
    throw new Error(`sign-in failed (${response.status}): ${await response.text()}`);
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  loadDotEnvFile();
  const scale = args.quick ? 'demo' : 'national';
  const dataDir = resolve(ROOT, 'bench/tmp', args.quick ? 'postgres-quick' : 'postgres');
  const externalUrl = process.env.DATABASE_URL || undefined;
  const started = performance.now();
  let embedded: EmbeddedPostgres | undefined;
  const servers: Server[] = [];
  const logger = { info: log, warn: log };
  try {
    // 1. The database: DATABASE_URL, or an embedded server of the benchmark's own (with pg_stat_statements).
    let url = externalUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres(dataDir, logger);
      const probe = new Client({ connectionString: embedded.url });
      probe.on('error', () => undefined);
      await probe.connect();
      const { rows } = await probe.query<{ libraries: string }>(
        "SELECT current_setting('shared_preload_libraries') AS libraries",
      );
      if (!rows[0].libraries.includes('pg_stat_statements')) {
        await probe.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        await probe.end();
        await embedded.stop();
        embedded = await startEmbeddedPostgres(dataDir, logger);
      } else {
        await probe.end();
      }
      url = embedded.url;
    }
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' });
    const prepared = await prepareDatabase(config.database, logger);
    const admin = new Client({ connectionString: prepared.ownerUrl });
    admin.on('error', (error) => log(`database connection: ${error.message}`));
    await admin.connect();
    let source: StatementSource = 'pg_stat_database';
    try {
      await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await admin.query('SELECT pg_stat_statements_reset()');
      source = 'pg_stat_statements';
    } catch (error) {
      log(`pg_stat_statements unavailable (${(error as Error).message}); counting with pg_stat_database`);
    }

    // 2. Seed if the database is empty.
    const { rows: present } = await admin.query<{ count: string }>('SELECT count(*) FROM clients');
    if (Number(present[0].count) === 0) {
      log(`seeding (${scale})`);
      await run(
        process.execPath,
        [
          // As `npm run seed`: a young generation large enough for a batch of rows (GC was half its CPU).
          '--max-semi-space-size=64',
          '-r',
          'ts-node/register/transpile-only',
          'src/scripts/seed.ts',
          '--scale',
          scale,
          '--no-check',
        ],
        {
          ...process.env,
          ...(externalUrl ? {} : { EMBEDDED_PG_DIR: dataDir }),
          DATABASE_URL: externalUrl ?? '',
          TS_NODE_TRANSPILE_ONLY: 'true',
        },
      );
    }

    // 3. Build and start both servers: same database, same role, same pool size, same signing key.
    if (args.build || !existsSync(resolve(ROOT, 'dist/src/main.js'))) {
      log('building (nest build)');
      await run(
        process.execPath,
        [resolve(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build'],
        process.env,
      );
    }
    const signingKey = randomBytes(48).toString('base64url');
    const common = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SIGNING_KEY: signingKey,
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      // One caller sends thousands of requests a second on purpose.
      RATE_LIMIT_PER_MINUTE: '1000000',
      // The seed has just rebuilt the report rollups; a scheduled rebuild (minutes of database time on
      // national data) in the middle of a measurement would measure the rebuild, not the endpoints.
      REPORTS_REFRESH_ENABLED: 'false',
      DB_POOL_MAX: String(config.database.poolMax),
      REPORTS_POOL_MAX: String(config.reports.poolMax),
    };
    const apiPort = await freePort();
    const ceilingPort = await freePort();
    servers.push(
      await startServer(
        'ceiling',
        ['-r', 'ts-node/register/transpile-only', 'bench/ceiling.ts'],
        {
          ...common,
          TS_NODE_TRANSPILE_ONLY: 'true',
          CEILING_DATABASE_URL: prepared.runtimeUrl,
          PORT: String(ceilingPort),
        },
        ceilingPort,
      ),
    );
    servers.push(
      await startServer(
        'api',
        [
          ...(await productionNodeFlags()),
          ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(ROOT, 'bench/tmp/profiles')}`] : []),
          'dist/src/main.js',
        ],
        {
          ...common,
          DATABASE_URL: prepared.runtimeUrl,
          MIGRATION_DATABASE_URL: prepared.ownerUrl,
          PORT: String(apiPort),
          HOST: '127.0.0.1',
        },
        apiPort,
      ),
    );
    const [ceiling, api] = servers;

    // 4. Fixtures: the busiest office, its adviser, its clients and name prefixes; a partner client.
    const fixtures = await loadFixtures(admin);
    fixtures.tokens.adviser = await signIn(api.url, {
      grant_type: 'password',
      username: fixtures.adviserEmail,
      password: SEED_PASSWORD,
    });
    fixtures.tokens.coordinator = await signIn(api.url, {
      grant_type: 'password',
      username: fixtures.coordinatorEmail,
      password: SEED_PASSWORD,
    });
    fixtures.tokens.partner = await signIn(api.url, {
      grant_type: 'client_credentials',
      client_id: fixtures.partnerClientId,
      client_secret: SEED_CLIENT_SECRET,
    });

    // 5. Interleaved rounds: for each endpoint and round, the ceiling, then the API.
    const endpoints = ENDPOINTS.filter((endpoint) => (args.only ? args.only.includes(endpoint.name) : true));
    const results: { endpoint: Endpoint; runs: Measurement[] }[] = [];
    for (const endpoint of endpoints) {
      const runs: Measurement[] = [];
      for (let round = 1; round <= args.rounds; round += 1) {
        for (const server of [ceiling, api]) {
          const measured = await measure(
            endpoint,
            server,
            fixtures,
            admin,
            source,
            prepared.runtimeRole,
            args,
            round,
          );
          log(
            `${endpoint.name} round ${round} ${server.name}: ${measured.rps} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, errors ${measured.errors}`,
          );
          runs.push(measured);
        }
      }
      results.push({ endpoint, runs });
    }
    const summary = summarise(results, source, scale, args, (performance.now() - started) / 1000);
    const directory = resolve(
      ROOT,
      'bench/results',
      // Only full runs replace the committed summary; quick, partial and profiled runs are kept apart.
      `${new Date().toISOString().slice(0, 10)}${args.quick ? '-quick' : args.only || args.profile ? '-partial' : ''}`,
    );
    await mkdir(directory, { recursive: true });
    await writeFile(resolve(directory, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await writeFile(resolve(directory, 'summary.md'), renderMarkdown(summary));
    console.log(renderMarkdown(summary));
    log(`written to ${directory}`);
    await admin.end();
    const errors = summary.endpoints.reduce((sum, row) => sum + row.api.errors + row.ceiling.errors, 0);
    if (errors > 0) {
      log(`FAILED: ${errors} requests failed (non-2xx, errors or timeouts)`);
      return 1;
    }
    return 0;
  } finally {
    for (const server of servers.reverse()) {
      await stopServer(server);
    }
    await embedded?.stop();
  }
}

async function loadFixtures(admin: Client): Promise<Fixtures> {
  const office = await admin.query<{ officeId: string; networkId: string }>(
    `SELECT c.office_id AS "officeId", o.network_id AS "networkId" FROM clients c JOIN offices o ON o.id = c.office_id
      GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const { officeId, networkId } = office.rows[0];
  const adviser = await admin.query<{ email: string }>(
    `SELECT email FROM users WHERE office_id = $1 AND role = 'ADVISER' ORDER BY email LIMIT 1`,
    [officeId],
  );
  const coordinator = await admin.query<{ email: string }>(
    `SELECT email FROM users WHERE network_id = $1 AND role = 'COORDINATOR' ORDER BY email LIMIT 1`,
    [networkId],
  );
  const clients = await admin.query<{ id: string; lastName: string; birthDate: string }>(
    `SELECT id, last_name AS "lastName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate" FROM clients
      WHERE office_id = $1 AND erased_at IS NULL ORDER BY md5(id::text) LIMIT 5000`,
    [officeId],
  );
  const partner = await admin.query<{ clientId: string }>(
    `SELECT a.client_id AS "clientId" FROM api_clients a JOIN partners p ON p.id = a.partner_id
      WHERE p.type = 'JOBCENTER' AND a.revoked_at IS NULL ORDER BY a.client_id LIMIT 1`,
  );
  const today = new Date().toISOString().slice(0, 10);
  return {
    officeId,
    networkId,
    adviserEmail: adviser.rows[0].email,
    coordinatorEmail: coordinator.rows[0].email,
    partnerClientId: partner.rows[0].clientId,
    clientIds: clients.rows.map((row) => row.id),
    names: [...new Set(clients.rows.map((row) => row.lastName.slice(0, 5)))],
    today,
    year: Number(today.slice(0, 4)) - 1,
    tokens: { adviser: '', coordinator: '', partner: '' },
    runId: randomUUID().slice(0, 8),
  };
}

interface Side {
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  errors: number;
  requests: number;
  perRequest: Record<string, number>;
  serverCpuMsPerRequest: number;
  peakRssMb: number;
}

interface Summary {
  date: string;
  scale: string;
  rounds: number;
  durationSeconds: number;
  statementSource: StatementSource;
  totalSeconds: number;
  endpoints: {
    name: string;
    label: string;
    connections: number;
    ceiling: Side;
    api: Side;
    ratio: number;
    target: string;
  }[];
  apiPeakRssMb: number;
}

function summarise(
  results: { endpoint: Endpoint; runs: Measurement[] }[],
  source: StatementSource,
  scale: string,
  args: Arguments,
  totalSeconds: number,
): Summary {
  const side = (runs: Measurement[]): Side => ({
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p97_5: median(runs.map((run) => run.p97_5)),
    p99: median(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    perRequest: Object.fromEntries(
      Object.keys(runs[0].perRequest).map((key) => [key, median(runs.map((run) => run.perRequest[key]))]),
    ),
    serverCpuMsPerRequest: median(runs.map((run) => run.serverCpuMsPerRequest)),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
  });
  const endpoints = results.map(({ endpoint, runs }) => {
    const ceiling = runs.filter((run) => run.server === 'ceiling');
    const api = runs.filter((run) => run.server === 'api');
    const ratios = api.map((run, index) => (ceiling[index].rps > 0 ? run.rps / ceiling[index].rps : 0));
    return {
      name: endpoint.name,
      label: endpoint.label,
      connections: endpoint.connections,
      ceiling: side(ceiling),
      api: side(api),
      ratio: Math.round(median(ratios) * 100) / 100,
      target: endpoint.target,
    };
  });
  return {
    date: new Date().toISOString(),
    scale,
    rounds: args.rounds,
    durationSeconds: args.duration,
    statementSource: source,
    totalSeconds: Math.round(totalSeconds),
    endpoints,
    apiPeakRssMb: Math.max(0, ...endpoints.map((row) => row.api.peakRssMb)),
  };
}

function renderMarkdown(summary: Summary): string {
  const perRequest = (side: Side) =>
    Object.entries(side.perRequest)
      .map(([key, value]) => `${value} ${key.replace(/_/g, ' ')}`)
      .join(', ');
  const lines = [
    `## Benchmark ${summary.date.slice(0, 16).replace('T', ' ')} UTC (${summary.scale} seed)`,
    '',
    `${summary.rounds} interleaved round(s) of ${summary.durationSeconds} s per server and endpoint; medians; ratio = API ÷ ceiling requests/s (median of the rounds). ` +
      `Database work per request from ${summary.statementSource}. API peak RSS ${summary.apiPeakRssMb} MB. Run took ${summary.totalSeconds} s.`,
    '',
    '| endpoint | conns | ceiling req/s | API req/s | ratio | ceiling p50 / p97.5 / p99 ms | API p50 / p97.5 / p99 ms | errors | DB per request (ceiling / API) | server CPU ms/req (ceiling / API) | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
    ...summary.endpoints.map(
      (row) =>
        `| ${row.label} | ${row.connections} | ${row.ceiling.rps} | ${row.api.rps} | ${row.ratio}× | ${row.ceiling.p50} / ${row.ceiling.p97_5} / ${row.ceiling.p99} | ${row.api.p50} / ${row.api.p97_5} / ${row.api.p99} | ${row.ceiling.errors + row.api.errors} | ${perRequest(row.ceiling)} / ${perRequest(row.api)} | ${row.ceiling.serverCpuMsPerRequest} / ${row.api.serverCpuMsPerRequest} | ${row.target} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
