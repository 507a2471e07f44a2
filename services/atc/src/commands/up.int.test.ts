import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { findFreePort, findFreePortRange, makeScratchDirectory } from '@atc/platform';
import { childEnvironment, REPOSITORY_ROOT, runTypeScript, type RunningProcess } from '@atc/platform/testing';
import { DatabaseChanges } from '@atc/queue/testing';
import { keypairFromSecret } from '@atc/venues';

// `atc up` end to end, as a user runs it: embedded PostgreSQL, migrations, the roles, readiness on
// the dashboard's port, and a Ctrl-C that leaves no process behind.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

/** Every live descendant of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we were reading.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const current = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('atc up', () => {
  const home = path.join(makeScratchDirectory('atc-up-test-'), '.atc');
  afterAll(() => rmSync(path.dirname(home), { recursive: true, force: true }));

  const atc = async (args: string[], env: Record<string, string> = {}) => {
    const run = runTypeScript(cli, args, childEnvironment({ ATC_HOME: home, ...env }));
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };

  /**
   * Halts trading, waits until no venue call can be in flight, then runs `atc reconcile` as an
   * operator would, outside `atc up`: on a quiet, consistent company it reports no drift — the
   * wallet's SOL and USDC are cash, its futures are read by root, and it signs with the same wallet.
   */
  async function quietlyReconciled(up: RunningProcess, simPort: number): Promise<void> {
    // The roles log to `atc up`'s output, which the test reads.
    await up.waitFor(/"msg":"venue simulator ready"/, 30_000);
    expect((await fetch(`http://127.0.0.1:${simPort}/_sim/orders`)).ok).toBe(true);
    expect((await atc(['kill-switch', 'on', '--reason', 'quiet for reconciliation'])).code).toBe(0);
    const { databaseUrl } = JSON.parse(readFileSync(path.join(home, 'local.json'), 'utf8')) as {
      databaseUrl: string;
    };
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    const changes = await DatabaseChanges.listen(databaseUrl);
    try {
      await changes.until(
        'no step running or executing',
        async () =>
          (
            await pool.query<{ n: number }>(
              `select count(*)::int as n from atc.steps where status in ('running', 'executing')`,
            )
          ).rows[0]!.n === 0,
        { deadlineMs: 60_000 },
      );
    } finally {
      await changes.close();
      await pool.end();
    }
    const sim = `http://127.0.0.1:${simPort}`;
    const reconciled = await atc(['reconcile', '--json'], {
      JUPITER_BASE_URL: `${sim}/jupiter`,
      SOLANA_RPC_URL: `${sim}/solana`,
      TRADIER_BASE_URL: `${sim}/tradier/v1`,
      NEBULA_BASE_URL: `${sim}/nebula`,
      PROJECTX_BASE_URL: `${sim}/projectx`,
      LOG_FORMAT: 'json',
    });
    expect(reconciled.stderr).not.toMatch(/cannot read venue positions/);
    expect(reconciled.code).toBe(0);
    expect((JSON.parse(reconciled.stdout) as { drift: unknown[] }).drift).toEqual([]);
  }

  it('answers 200 on /health/ready, and Ctrl-C stops every child and PostgreSQL', async () => {
    // Seven consecutive admin ports: a range no outgoing connection can take between check and bind.
    const adminBase = await findFreePortRange(16);
    const [pgPort, dashboardPort, simPort] = [
      await findFreePort(),
      await findFreePort(),
      await findFreePort(),
    ];
    const proc = runTypeScript(
      cli,
      ['up'],
      childEnvironment({
        ATC_HOME: home,
        LOCAL_PG_PORT: String(pgPort),
        DASHBOARD_PORT: String(dashboardPort),
        ADMIN_PORT_BASE: String(adminBase),
        SIM_PORT: String(simPort),
      }),
    );
    try {
      // Migrations are applied before the roles start: once the dashboard listens, it is ready.
      await proc.waitFor(/"msg":"dashboard listening"/, 60_000);
      const response = await fetch(`http://127.0.0.1:${dashboardPort}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ready',
        checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
      });
      const children = descendants(proc.child.pid!);
      expect(children.length).toBeGreaterThanOrEqual(2); // at least PostgreSQL and the dashboard
      expect(proc.stdout()).toMatch(new RegExp(`dashboard +http://localhost:${dashboardPort}`));

      // One paper wallet for the company, kept in ATC_HOME, readable by its owner only.
      const walletFile = path.join(home, 'paper-wallet.json');
      expect(statSync(walletFile).mode & 0o777).toBe(0o600);
      const wallet = keypairFromSecret(readFileSync(walletFile, 'utf8')).publicKey.toBase58();
      expect(proc.stdout()).toMatch(new RegExp(`paper wallet +${wallet}`));
      await quietlyReconciled(proc, simPort);
      // The dashboard (the first role: the first admin port) exports the business metrics from the
      // database — the kill switch quietlyReconciled engaged — and every role its readiness.
      const metrics = await (await fetch(`http://127.0.0.1:${adminBase}/metrics`)).text();
      expect(metrics).toMatch(/^atc_kill_switch_engaged\{scope="global",service="dashboard"\} 1$/m);
      expect(metrics).toMatch(/^atc_role_ready\{service="dashboard"\} 1$/m);
      // Every role kept running: the heartbeat loop (a role that returns at once and keeps the process
      // alive) was once exited with code 255 right after it started, and restarted for ever.
      await proc.waitFor(/"msg":"heartbeat loop started"/, 30_000);
      expect(proc.stdout()).not.toMatch(/role exited; restarting/);

      proc.child.kill('SIGINT');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      // `atc up` exits only after every role and PostgreSQL (which waits for its backends) has exited.
      expect(children.filter(isAlive)).toEqual([]);
      expect(readdirSync(home)).not.toContain('local.json');
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    }
  }, 240_000);
});
