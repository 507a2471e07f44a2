/**
 * The company under test: `atc up --fresh` from the built bundle, with its own ATC_HOME and ports
 * of its own (so a developer's running `atc up` is left alone), every role ready before it returns.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, findFreePortRange } from '@atc/platform';
import { simulatorBaseUrls } from '@atc/venues';
import { ManagedProcess, runCommand } from './managed-process';
import { pollUntil } from './poll-until';

export interface RoleAdmin {
  /** The role's name in `atc up`'s table: `dashboard`, `sim`, `worker-crypto`, …, `heartbeat`. */
  readonly role: string;
  readonly port: number;
}

export interface LocalCompanyPorts {
  readonly postgres: number;
  readonly dashboard: number;
  readonly simulator: number;
  /** The first admin port: `atc up` gives each role the next. */
  readonly adminBase: number;
}

/** Room for the admin ports of every role of `atc up` (seven today) and a few more. */
const ADMIN_PORTS_RESERVED = 16;
const STARTUP_DEADLINE_MS = 90_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** The roles' admin URLs `atc up` prints: `  heartbeat admin         http://localhost:9106/metrics`. */
export function parseAdminUrls(output: readonly string[]): RoleAdmin[] {
  return output.flatMap((line) => {
    const match = /^\s+(\S+) admin\s+http:\/\/localhost:(\d+)\/metrics\s*$/.exec(line);
    return match ? [{ role: match[1]!, port: Number(match[2]) }] : [];
  });
}

export async function chooseCompanyPorts(): Promise<LocalCompanyPorts> {
  const adminBase = await findFreePortRange(ADMIN_PORTS_RESERVED);
  const others: number[] = [];
  while (others.length < 3) {
    const port = await findFreePort();
    const clashes = others.includes(port) || (port >= adminBase && port < adminBase + ADMIN_PORTS_RESERVED);
    if (!clashes) others.push(port);
  }
  const [postgres, dashboard, simulator] = others as [number, number, number];
  return { postgres, dashboard, simulator, adminBase };
}

/**
 * This process's environment without what would point the company elsewhere: a DATABASE_URL (then
 * `atc up` would not start its own PostgreSQL), venue URLs (then a venue would not be the simulator),
 * live trading and its keys, a tracing endpoint.
 */
export function isolatedEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const foreign = [
    'DATABASE_URL',
    'TRADING_MODE',
    'SOLANA_WALLET_SECRET',
    'SOLANA_WALLET_FILE',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    ...Object.keys(simulatorBaseUrls('http://127.0.0.1')),
  ];
  for (const key of foreign) delete env[key];
  return env;
}

export class LocalCompany {
  private constructor(
    private readonly up: ManagedProcess,
    readonly bundle: string,
    readonly home: string,
    readonly ports: LocalCompanyPorts,
    readonly databaseUrl: string,
    readonly admins: readonly RoleAdmin[],
  ) {}

  /**
   * Starts `atc up --fresh` with `settings` (cadences and breaker timings for the test) and waits
   * until it has printed its table and every role answers 200 on `/health/ready`.
   */
  static async start(options: {
    bundle: string;
    home: string;
    ports: LocalCompanyPorts;
    settings: Readonly<Record<string, string>>;
    /** Every line `atc up` and its roles print, stdout and stderr, as it comes (a scan of all logs). */
    onOutput?: (line: string) => void;
  }): Promise<LocalCompany> {
    const { bundle, home, ports } = options;
    const env: NodeJS.ProcessEnv = {
      ...isolatedEnvironment(),
      ...options.settings,
      ATC_HOME: home,
      LOCAL_PG_PORT: String(ports.postgres),
      DASHBOARD_PORT: String(ports.dashboard),
      SIM_PORT: String(ports.simulator),
      ADMIN_PORT_BASE: String(ports.adminBase),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_FORMAT: 'json',
    };
    const up = new ManagedProcess('atc up', process.execPath, [bundle, 'up', '--fresh'], {
      env,
      ...(options.onOutput ? { onLine: options.onOutput } : {}),
    });
    try {
      await up.waitForLine(/Ctrl-C stops everything/, STARTUP_DEADLINE_MS);
      const state = JSON.parse(readFileSync(path.join(home, 'local.json'), 'utf8')) as {
        pid: number;
        databaseUrl: string;
      };
      if (state.pid !== up.pid) throw new Error(`local.json names pid ${state.pid}, not atc up's ${up.pid}`);
      const admins = parseAdminUrls(up.output());
      if (admins.length === 0) throw new Error(`atc up printed no admin URL:\n${up.tail()}`);
      const company = new LocalCompany(up, bundle, home, ports, state.databaseUrl, admins);
      await company.allReady();
      return company;
    } catch (error) {
      await stopUp(up, home);
      throw new Error(`atc up did not start: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  get pid(): number {
    return this.up.pid!;
  }

  get simulatorUrl(): string {
    return `http://127.0.0.1:${this.ports.simulator}`;
  }

  adminPort(role: string): number {
    const admin = this.admins.find((entry) => entry.role === role);
    if (!admin) throw new Error(`atc up has no role ${role}`);
    return admin.port;
  }

  private async allReady(): Promise<void> {
    await Promise.all(
      this.admins.map(({ role, port }) =>
        pollUntil(
          `${role} ready`,
          async () => {
            if (this.up.hasExited) throw new Error('atc up exited');
            const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
              signal: AbortSignal.timeout(2_000),
            });
            return {
              done: response.status === 200,
              value: undefined,
              last: `${response.status} ${await response.text()}`,
            };
          },
          { deadlineMs: STARTUP_DEADLINE_MS },
        ),
      ),
    );
  }

  /** Runs `atc <args>` against this company's database (an operator's command). */
  atc(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runCommand(process.execPath, [this.bundle, ...args], {
      ...isolatedEnvironment(),
      ATC_HOME: this.home,
      DATABASE_URL: this.databaseUrl,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    });
  }

  /** The last lines `atc up` and its roles printed. */
  tail(count?: number): string {
    return this.up.tail(count);
  }

  /** SIGTERM to `atc up`, which drains its roles and stops PostgreSQL; resolves once it has exited. */
  stop(): Promise<void> {
    return stopUp(this.up, this.home);
  }
}

async function stopUp(up: ManagedProcess, home: string): Promise<void> {
  // `atc up` SIGKILLs a role that outlasts its drain deadline, so it is given that and a margin.
  const exit = await up.stop(SHUTDOWN_TIMEOUT_MS + 10_000);
  if (exit.signal !== 'SIGKILL') return;
  // Killed, it could not stop its PostgreSQL (its own process group): stop it here.
  const pidFile = path.join(home, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
}
