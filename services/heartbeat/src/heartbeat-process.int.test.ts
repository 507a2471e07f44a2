import path from 'node:path';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type RunningProcess,
  type TestDatabase,
} from '@atc/platform/testing';
import { acquireLease, releaseLease } from './lease.queries';

/**
 * `atc heartbeat` as real processes: concurrent invocations, SIGKILL mid-phase, and the CLI itself.
 * Processes are bundled once (esbuild) so each starts in a fraction of a second.
 */
describe('atc heartbeat processes', () => {
  let db: TestDatabase;
  let testEntry: string;
  let cli: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    [testEntry, cli] = await Promise.all([
      bundleForTest(path.join(__dirname, 'testing/heartbeat-test-entry.ts'), REPOSITORY_ROOT),
      bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT),
    ]);
  }, 120_000);
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(`delete from atc.heartbeat_lease`);
    await db.pool.query(`delete from atc.heartbeat_runs`);
  });

  const env = (extra: Record<string, string> = {}) =>
    childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'info', DB_POOL_MAX: '3', ...extra });
  const heartbeat = (phaseMs: number, extra: Record<string, string> = {}): RunningProcess =>
    runNode([testEntry, '--phase-ms', String(phaseMs)], env(extra));
  const runsIn = async () =>
    (
      await db.pool.query<{
        id: string;
        status: string;
        errors: { code: string }[];
        took_over_run_id: string | null;
      }>(
        `select id, status, errors, took_over_run_id from atc.heartbeat_runs where status <> 'skipped' order by started_at`,
      )
    ).rows;
  const phaseWrites = async () =>
    (
      await db.pool.query<{ n: number }>(
        `select count(*)::int as n from atc.events where type = 'heartbeat_test_phase'`,
      )
    ).rows[0]!.n;

  it('8 concurrent heartbeat processes: exactly one runs, the others skip, all exit 0', async () => {
    const before = await phaseWrites();
    const processes = Array.from({ length: 8 }, () => heartbeat(2_000));
    const exits = await Promise.all(processes.map((p) => p.exited));
    expect(exits.map((exit) => exit.code)).toEqual(Array(8).fill(0));
    const skipped = processes.filter((p) =>
      p.stdout().includes('heartbeat skipped: another run holds the lease'),
    );
    expect(skipped).toHaveLength(7);
    expect(await phaseWrites()).toBe(before + 1);
    const runs = await runsIn();
    expect(runs.map((run) => [run.status, run.errors])).toEqual([['success', []]]);
    // No statement timeout fired in any process.
    for (const p of processes) expect(p.stdout() + p.stderr()).not.toMatch(/statement timeout|57014/);
  }, 60_000);

  it('a run SIGKILLed mid-phase leaves a lease the next run takes over after expiry, marking it stuck', async () => {
    const before = await phaseWrites();
    const victim = heartbeat(30_000, { HEARTBEAT_LEASE_TTL_MS: '3000', HEARTBEAT_PHASE_BUDGET_MS: '60000' });
    await victim.waitFor(/"msg":"heartbeat run started"/);
    const [stuck] = await runsIn();
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    // Within the TTL the dead run's lease still stands: the next run skips.
    const early = heartbeat(0);
    expect((await early.exited).code).toBe(0);
    expect(early.stdout()).toContain('heartbeat skipped');
    // The dead run's lease expires (moved to the past rather than waited for: nobody renews it), then
    // the next run takes it over.
    await db.pool.query(`update atc.heartbeat_lease set expires_at = now() - interval '1 millisecond'`);
    const successor = heartbeat(0);
    expect((await successor.exited).code).toBe(0);
    expect(successor.stdout()).toContain('took over the lease of a heartbeat run that never finished');

    const runs = await runsIn();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      id: stuck!.id,
      status: 'failure',
      errors: [expect.objectContaining({ code: 'stuck' })],
    });
    expect(runs[1]).toMatchObject({ status: 'success', took_over_run_id: stuck!.id });
    // The killed phase's transaction died with its connection: only the successor's write is there.
    expect(await phaseWrites()).toBe(before + 1);
  }, 60_000);

  it('`atc heartbeat` skips with exit 0 while another run holds the lease, then runs and records', async () => {
    const holder = { owner: 'test-holder', runId: '00000000-0000-4000-8000-00000000000a' };
    await acquireLease(db.pool, { ...holder, ttlMs: 60_000 });
    const clis = Array.from({ length: 4 }, () => runNode([cli, 'heartbeat'], env()));
    const exits = await Promise.all(clis.map((p) => p.exited));
    expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0, 0]);
    for (const p of clis) expect(p.stdout()).toContain('heartbeat skipped: another run holds the lease');
    expect(await runsIn()).toEqual([]);

    await releaseLease(db.pool, holder);
    const run = runNode([cli, 'heartbeat'], env({ HEARTBEAT_TIMEOUT_MS: '20000' }));
    const exit = await run.exited;
    const [recorded] = await runsIn();
    expect(recorded).toBeDefined();
    expect(exit.code).toBe(recorded!.status === 'success' ? 0 : 1);
    expect(run.stdout()).toContain('heartbeat run finished');
  }, 60_000);

  it('`atc heartbeat` refuses a bad configuration, naming every bad key, with exit 1', async () => {
    const bad = runNode(
      [cli, 'heartbeat'],
      env({ HEARTBEAT_TIMEOUT_MS: 'soon', HEARTBEAT_PHASE_BUDGETS_MS: 'nope=5' }),
    );
    expect((await bad.exited).code).toBe(1);
    expect(bad.stderr()).toContain('HEARTBEAT_TIMEOUT_MS');
    expect(bad.stderr()).toContain('HEARTBEAT_PHASE_BUDGETS_MS');
  }, 30_000);
});
