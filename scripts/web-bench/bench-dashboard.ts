/**
 * The dashboard bench:web measures: the `atc dashboard` role of the built bundle, alone (no workers,
 * heartbeat or simulator writing events of their own, so the feed receives only the bench's), on a
 * scratch embedded PostgreSQL with the migrations and seeds applied, on ports of its own, with a
 * viewer API key created by the CLI as an operator would.
 * @module
 */
import type { Pool } from 'pg';
import { findFreePort, processEnvironment, startScratchDatabase, type Logger } from '@atc/platform';
import { applySeeds } from '@atc/trading';
import { ManagedProcess, runCommand } from '../monitoring/managed-process';
import { pollUntil } from '../monitoring/poll-until';

const READY_DEADLINE_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface BenchDashboard {
  /** Where the browser goes: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A pool on the dashboard's database, for writing the events. */
  readonly pool: Pool;
  /** A viewer key, as `atc apikey create` printed it. */
  readonly apiKey: string;
  stop(): Promise<void>;
}

/** This process's environment without what would point the dashboard elsewhere, and the bench's settings. */
function dashboardEnvironment(settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...processEnvironment(), ...settings };
  delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return env;
}

async function createViewerKey(bundle: string, env: NodeJS.ProcessEnv): Promise<string> {
  const created = await runCommand(
    process.execPath,
    [bundle, 'apikey', 'create', '--name', 'bench-web', '--role', 'viewer'],
    env,
  );
  const key = /atc_[A-Za-z0-9]+/.exec(created.stdout)?.[0];
  if (created.code !== 0 || !key) throw new Error(`atc apikey create printed no key: ${created.stderr}`);
  return key;
}

export async function startBenchDashboard(options: {
  readonly bundle: string;
  readonly logger: Logger;
}): Promise<BenchDashboard> {
  const database = await startScratchDatabase({
    name: 'atc_bench_web',
    logger: options.logger,
    from: __dirname,
  });
  let dashboard: ManagedProcess | undefined;
  const stop = async () => {
    await dashboard?.stop(SHUTDOWN_TIMEOUT_MS);
    await database.stop();
  };
  try {
    const pool = database.pool({ max: 2, label: 'bench-web' });
    await applySeeds(pool);
    const port = await findFreePort();
    let adminPort = await findFreePort();
    while (adminPort === port) adminPort = await findFreePort();
    const env = dashboardEnvironment({
      DATABASE_URL: database.url,
      DASHBOARD_PORT: String(port),
      DASHBOARD_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    dashboard = new ManagedProcess('atc dashboard', process.execPath, [options.bundle, 'dashboard'], { env });
    const running = dashboard;
    await pollUntil(
      'dashboard ready',
      async () => {
        if (running.hasExited) throw new Error(`atc dashboard exited:\n${running.tail()}`);
        const response = await fetch(`http://127.0.0.1:${adminPort}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        return { done: response.status === 200, value: undefined, last: `HTTP ${response.status}` };
      },
      { deadlineMs: READY_DEADLINE_MS, intervalMs: 200 },
    );
    const apiKey = await createViewerKey(options.bundle, env);
    return { url: `http://127.0.0.1:${port}`, pool, apiKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
