/**
 * A second `atc dashboard` the suite runs beside `atc up`'s, on a port of its own against the same
 * database, so it can stop and start it at will (`atc up` restarts a role of its own within a second,
 * too soon to write events while it is down). Same bundle, same web app.
 * @module
 */
import { findFreePort } from '@atc/platform';
import { isolatedEnvironment, type LocalCompany } from '../monitoring/local-company';
import { ManagedProcess } from '../monitoring/managed-process';
import { pollUntil } from '../monitoring/poll-until';

const READY_DEADLINE_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;

export class OwnDashboard {
  private process: ManagedProcess | undefined;

  private constructor(
    private readonly company: LocalCompany,
    readonly port: number,
    private readonly adminPort: number,
  ) {}

  /** Chooses its ports and starts it; resolves once it answers ready. */
  static async start(company: LocalCompany): Promise<OwnDashboard> {
    const port = await findFreePort();
    let adminPort = await findFreePort();
    while (adminPort === port) adminPort = await findFreePort();
    const dashboard = new OwnDashboard(company, port, adminPort);
    await dashboard.start();
    return dashboard;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process (again, on the same ports) and waits for `/health/ready` to answer 200. */
  async start(): Promise<void> {
    if (this.process && !this.process.hasExited) throw new Error('the dashboard is already running');
    const env: NodeJS.ProcessEnv = {
      ...isolatedEnvironment(),
      DATABASE_URL: this.company.databaseUrl,
      DASHBOARD_HOST: '127.0.0.1',
      DASHBOARD_PORT: String(this.port),
      ADMIN_PORT: String(this.adminPort),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      // Every request of the suite comes from 127.0.0.1 (see SETTINGS in web-e2e.ts).
      API_RATE_LIMIT_PER_MINUTE: '100000',
    };
    const started = new ManagedProcess(
      'atc dashboard',
      process.execPath,
      [this.company.bundle, 'dashboard'],
      {
        env,
      },
    );
    this.process = started;
    await pollUntil(
      'the second dashboard ready',
      async () => {
        if (started.hasExited) throw new Error(`atc dashboard exited:\n${started.tail()}`);
        const response = await fetch(`http://127.0.0.1:${this.adminPort}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        return { done: response.status === 200, value: undefined, last: String(response.status) };
      },
      { deadlineMs: READY_DEADLINE_MS, intervalMs: 100 },
    );
  }

  /** SIGTERM (SIGKILL after its drain deadline and a margin); resolves once it has exited. */
  async stop(): Promise<void> {
    await this.process?.stop(SHUTDOWN_TIMEOUT_MS + 5_000);
  }
}
