/**
 * `npm run bench:api`: autocannon against a running `atc up` — authenticated `GET /api/status` and
 * `GET /api/proposals`, each at BENCH_RATE requests a second (1,000) for BENCH_DURATION_SECONDS (30).
 * Start the company with the per-IP limit raised (`API_RATE_LIMIT_PER_MINUTE=1000000 npm start`), since
 * every request comes from one IP. A second run repeats the load against a dashboard the bench starts
 * itself on the same database at the default limit (100 a minute), to show the 429s. Goal: p99 < 25 ms.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { ATC_VERSION, createLogger } from '@atc/platform';
import { createApiKey } from '../scripts/api-seams';
import { inheritedEnvironment, readBenchConfig, readLocalCompany, type BenchConfig } from './bench.config';

const ROUTES = ['/api/status', '/api/proposals'] as const;
const GOAL_P99_MS = 25;
const logger = createLogger({ service: 'api-bench', version: ATC_VERSION, level: 'warn', format: 'pretty' });

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function load(
  config: BenchConfig,
  url: string,
  key: string,
  seconds: number,
): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: config.BENCH_CONNECTIONS,
    overallRate: config.BENCH_RATE,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
  });
}

function report(label: string, result: autocannon.Result, goal: boolean): void {
  const limited = result.statusCodeStats?.['429']?.count ?? 0;
  const verdict = goal
    ? result.latency.p99 < GOAL_P99_MS
      ? '  (goal met)'
      : `  (goal: p99 < ${GOAL_P99_MS} ms)`
    : '';
  write(
    `${label.padEnd(34)} ${String(result.requests.total).padStart(7)} req  p50 ${result.latency.p50} ms  ` +
      `p99 ${result.latency.p99} ms  errors ${result.errors}  timeouts ${result.timeouts}  ` +
      `non-2xx ${result.non2xx}  429 ${limited}${verdict}`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A second `atc dashboard` on the same database with API_RATE_LIMIT_PER_MINUTE unset (the default). */
async function startDefaultLimitDashboard(
  databaseUrl: string,
): Promise<{ url: string; child: ChildProcess }> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const env = inheritedEnvironment();
  delete env.API_RATE_LIMIT_PER_MINUTE;
  const bin = path.resolve(__dirname, '../../atc/bin/atc.mjs');
  const child = spawn(process.execPath, [bin, 'dashboard'], {
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      DASHBOARD_PORT: String(port),
      DASHBOARD_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // A benchmark may poll: wait for readiness, or give up when the child exits or 30 s pass.
  while (Date.now() < deadline && child.exitCode === null) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the default-limit dashboard on port ${port} did not become ready`);
}

async function main(): Promise<void> {
  const config = readBenchConfig();
  const seconds = config.BENCH_DURATION_SECONDS ?? 30;
  const company = readLocalCompany(config);
  const pool = new Pool({ connectionString: company.databaseUrl, max: 2 });
  try {
    const key = await createApiKey(pool, {
      name: `bench-api-${Date.now()}`,
      role: 'viewer',
      expiresAt: new Date(Date.now() + 3_600_000),
      actor: 'bench:api',
    });
    write(
      `atc up at ${company.dashboardUrl}; ${config.BENCH_RATE} req/s per route for ${seconds} s over ${config.BENCH_CONNECTIONS} connections`,
    );
    write('run 1: the dashboard of `atc up` (expects API_RATE_LIMIT_PER_MINUTE raised)');
    for (const route of ROUTES) {
      const result = await load(config, `${company.dashboardUrl}${route}`, key, seconds);
      report(`  GET ${route}`, result, true);
      if ((result.statusCodeStats?.['429']?.count ?? 0) > 0) {
        write('  429s seen: start `atc up` with API_RATE_LIMIT_PER_MINUTE raised for this run');
      }
    }
    if (config.BENCH_SKIP_DEFAULT_LIMIT_RUN === '1') return;
    write('run 2: a second dashboard on the same database at the default limit (100 a minute per IP)');
    const second = await startDefaultLimitDashboard(company.databaseUrl);
    try {
      for (const route of ROUTES) {
        report(`  GET ${route}`, await load(config, `${second.url}${route}`, key, seconds), false);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'api benchmark failed');
  process.exit(1);
});
