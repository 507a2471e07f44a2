import { randomBytes } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Pool } from 'pg';
import { fixedClock, type Clock } from '@atc/contracts';
import { silentLogger, type Logger } from '@atc/platform';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { HeartbeatPhase } from './phases/heartbeat-phase';
import type { HeartbeatSettings } from './heartbeat.config';
import { runHeartbeat, type HeartbeatOutcome } from './heartbeat-runner';
import { acquireLease } from './lease.queries';
import { insertRun } from './heartbeat-runs.queries';
import { recordPhaseWork, sqlPhase } from './testing/test-phases';

const settings: HeartbeatSettings = {
  timeoutMs: 30_000,
  phaseBudgetMs: 5_000,
  phaseBudgetsMs: {},
  leaseTtlMs: 15_000,
  cancelGraceMs: 1_000,
  seed: 7,
};

/** Rejects with the signal's reason once it is aborted: a phase working until it is stopped. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const stop = () => reject(signal.reason as Error);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

describe('heartbeat runner', () => {
  let db: TestDatabase;
  let phasePool: Pool;
  let phaseApplicationName: string;
  const pools: Pool[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    phaseApplicationName = `atc-heartbeat-test-${randomBytes(4).toString('hex')}`;
    phasePool = new Pool({ connectionString: db.url, max: 4, application_name: phaseApplicationName });
    pools.push(phasePool);
  });
  afterAll(async () => {
    await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query(`delete from atc.heartbeat_lease`);
    await db.pool.query(`delete from atc.heartbeat_runs`);
    await db.pool.query(`delete from atc.events where type = 'heartbeat_test_phase'`);
  });

  function leasePool(): Pool {
    const pool = new Pool({ connectionString: db.url, max: 1, application_name: 'atc-heartbeat-test-lease' });
    pools.push(pool);
    return pool;
  }

  function run(
    phases: readonly HeartbeatPhase[],
    overrides: Partial<HeartbeatSettings> = {},
    control: Pool = db.pool,
    clock?: Clock,
    logger: Logger = silentLogger(),
    runId?: string,
  ): Promise<HeartbeatOutcome> {
    return runHeartbeat({
      ...(clock ? { clock } : {}),
      ...(runId ? { runId } : {}),
      pool: phasePool,
      leasePool: control,
      phaseApplicationName,
      phases,
      settings: { ...settings, ...overrides },
      owner: `test:${randomBytes(4).toString('hex')}`,
      logger,
      marketData: { quote: () => Promise.reject(new Error('no market data in this test')) },
      venues: {},
    });
  }

  const phaseWrites = async (phase?: string) =>
    (
      await db.pool.query<{ n: number }>(
        `select count(*)::int as n from atc.events where type = 'heartbeat_test_phase'
            and ($1::text is null or aggregate_id = $1::text)`,
        [phase ?? null],
      )
    ).rows[0]!.n;

  const ran = (outcome: HeartbeatOutcome) => {
    if (outcome.kind !== 'ran') throw new Error('expected the run to take the lease');
    return outcome;
  };

  it('lets exactly one of 100 concurrent runs, each on its own connection, run the phases', async () => {
    const controls = Array.from({ length: 100 }, () => leasePool());
    // Connect first, so the 100 acquisitions race on the lease rather than on connection set-up.
    await Promise.all(controls.map((pool) => pool.query('select 1')));
    let phaseRuns = 0;
    // The winner works until every other run has returned, so each of them met its live lease.
    let returned = 0;
    let othersReturned: () => void = () => undefined;
    const othersDone = new Promise<void>((resolve) => (othersReturned = resolve));
    const check = () => returned + phaseRuns >= controls.length && othersReturned();
    const holding: HeartbeatPhase = {
      name: 'mark_to_market',
      async run(context) {
        phaseRuns += 1;
        check();
        await othersDone;
        await recordPhaseWork(context, 'mark_to_market', 0);
        return { summary: {} };
      },
    };
    const phases = [holding, sqlPhase('reconcile', 0)];
    const outcomes = await Promise.all(
      controls.map((control) =>
        run(phases, {}, control).finally(() => {
          returned += 1;
          check();
        }),
      ),
    );

    const winners = outcomes.filter((outcome) => outcome.kind === 'ran');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'skipped')).toHaveLength(99);
    expect(phaseRuns).toBe(1);
    expect(await phaseWrites()).toBe(2);
    const winner = ran(winners[0]!);
    // No statement timeout (or any other error) fired anywhere.
    expect(winner.status).toBe('success');
    expect(winner.phases.map((phase) => phase.error)).toEqual([undefined, undefined]);
    const runs = await db.pool.query(
      `select id, status, errors from atc.heartbeat_runs where status <> 'skipped'`,
    );
    expect(runs.rows).toEqual([{ id: winner.runId, status: 'success', errors: [] }]);
    // Each loser is recorded as skipped (the exporter counts them), having done nothing.
    const skipped = await db.pool.query(
      `select count(*)::int as n from atc.heartbeat_runs where status = 'skipped'`,
    );
    expect(skipped.rows[0]).toEqual({ n: 99 });
    // Released: the next run does not wait for the expiry.
    expect((await run([])).kind).toBe('ran');
    await Promise.all(controls.map((pool) => pool.end()));
  });

  it('skips while a live lease is held, and takes over an expired one, marking the stuck run failed', async () => {
    const stuckRunId = '00000000-0000-4000-8000-000000000001';
    await acquireLease(db.pool, { owner: 'dead-host:1', runId: stuckRunId, ttlMs: 60_000 });
    await insertRun(db.pool, {
      id: stuckRunId,
      owner: 'dead-host:1',
      tookOverRunId: null,
    });

    const skipped = await run([sqlPhase('mark_to_market', 0)]);
    expect(skipped).toMatchObject({ kind: 'skipped', holder: { owner: 'dead-host:1', runId: stuckRunId } });
    expect(await phaseWrites()).toBe(0);

    await db.pool.query(`update atc.heartbeat_lease set expires_at = now() - interval '1 second'`);
    const takeover = ran(await run([sqlPhase('mark_to_market', 0)]));
    expect(takeover).toMatchObject({ status: 'success', tookOverRunId: stuckRunId });
    const rows = await db.pool.query<{
      id: string;
      status: string;
      errors: unknown;
      took_over_run_id: string;
    }>(`select id, status, errors, took_over_run_id from atc.heartbeat_runs order by started_at`);
    const stuck = rows.rows.find((row) => row.id === stuckRunId)!;
    expect(stuck.status).toBe('failure');
    expect(stuck.errors).toEqual([expect.objectContaining({ code: 'stuck', phase: null })]);
    const successor = rows.rows.find((row) => row.id === takeover.runId);
    expect(successor).toMatchObject({ status: 'success', took_over_run_id: stuckRunId });
  });

  it('runs under the id its caller chose, so POST /api/heartbeat can answer 202 with it', async () => {
    const runId = '00000000-0000-4000-8000-0000000000aa';
    const outcome = ran(
      await run([sqlPhase('mark_to_market', 0)], {}, db.pool, undefined, silentLogger(), runId),
    );
    expect(outcome.runId).toBe(runId);
    const row = await db.pool.query(`select status from atc.heartbeat_runs where id = $1::uuid`, [runId]);
    expect(row.rows).toEqual([{ status: 'success' }]);
  });

  it('cancels a phase whose SQL overruns its budget by statement_timeout, rolls it back, and runs the next', async () => {
    const outcome = ran(
      await run([sqlPhase('mark_to_market', 5_000), sqlPhase('reconcile', 0)], {
        phaseBudgetsMs: { mark_to_market: 300 },
      }),
    );
    const [slow, next] = outcome.phases;
    expect(slow).toMatchObject({
      status: 'failed',
      budgetMs: 300,
      error: { code: 'budget_exceeded', sqlstate: '57014' },
    });
    expect(slow!.durationMs).toBeLessThan(2_000);
    expect(next).toMatchObject({ name: 'reconcile', status: 'success' });
    // The slow phase's insert was in the cancelled transaction: rolled back.
    expect(await phaseWrites('mark_to_market')).toBe(0);
    expect(await phaseWrites('reconcile')).toBe(1);
    expect(outcome.status).toBe('partial_failure');
    const row = await db.pool.query<{
      status: string;
      phases: unknown;
      errors: unknown;
      duration_ms: number;
    }>(`select status, phases, errors, duration_ms from atc.heartbeat_runs`);
    expect(row.rows[0]).toMatchObject({
      status: 'partial_failure',
      errors: [expect.objectContaining({ phase: 'mark_to_market', code: 'budget_exceeded' })],
      phases: [
        expect.objectContaining({ name: 'mark_to_market', status: 'failed' }),
        expect.objectContaining({ name: 'reconcile', status: 'success', summary: { sleptMs: 0 } }),
      ],
    });
    expect(row.rows[0]!.duration_ms).toBeGreaterThanOrEqual(300);
  });

  it('cancels SQL a phase runs outside any statement timeout, by cancelling its backend', async () => {
    const naive: HeartbeatPhase = {
      name: 'evaluate_triggers',
      async run(context) {
        await context.pool.query('select pg_sleep(10)');
        return { summary: {} };
      },
    };
    const outcome = ran(await run([naive, sqlPhase('reconcile', 0)], { phaseBudgetMs: 300 }));
    expect(outcome.phases[0]).toMatchObject({
      status: 'failed',
      error: { code: 'budget_exceeded', sqlstate: '57014' },
    });
    expect(outcome.phases[0]!.durationMs).toBeLessThan(2_000);
    expect(outcome.phases[1]).toMatchObject({ status: 'success' });
  });

  it('stops a phase that loops without SQL through its signal, and runs the next', async () => {
    let iterations = 0;
    const looping: HeartbeatPhase = {
      name: 'process_reactions',
      async run(context) {
        for (;;) {
          context.signal.throwIfAborted();
          iterations += 1;
          await yieldToLoop();
        }
      },
    };
    const outcome = ran(await run([looping, sqlPhase('reconcile', 0)], { phaseBudgetMs: 200 }));
    expect(outcome.phases[0]).toMatchObject({ status: 'failed', error: { code: 'budget_exceeded' } });
    expect(outcome.phases[0]!.abandoned).toBeUndefined();
    expect(iterations).toBeGreaterThan(0);
    const stoppedAt = iterations;
    await yieldToLoop();
    expect(iterations).toBe(stoppedAt);
    expect(outcome.phases[1]).toMatchObject({ status: 'success' });
  });

  it('records a phase that ignores its signal as abandoned after the grace period and moves on', async () => {
    const deaf: HeartbeatPhase = { name: 'trade_reviews', run: () => new Promise(() => undefined) };
    const outcome = ran(
      await run([deaf, sqlPhase('reconcile', 0)], { phaseBudgetMs: 100, cancelGraceMs: 100 }),
    );
    expect(outcome.phases[0]).toMatchObject({
      status: 'failed',
      abandoned: true,
      error: { code: 'budget_exceeded' },
    });
    expect(outcome.phases[1]).toMatchObject({ status: 'success' });
  });

  it('skips the phases left when the run timeout is spent', async () => {
    const outcome = ran(
      await run([sqlPhase('mark_to_market', 5_000), sqlPhase('reconcile', 0)], { timeoutMs: 300 }),
    );
    // The phase gets what is left of the run (its own 5 s budget is larger).
    expect(outcome.phases[0]).toMatchObject({ status: 'failed', error: { code: 'budget_exceeded' } });
    expect(outcome.phases[0]!.budgetMs).toBeLessThanOrEqual(300);
    expect(outcome.phases[1]).toMatchObject({ status: 'skipped', error: { code: 'run_timeout' } });
    expect(outcome.status).toBe('failure');
  });

  it('renews its lease through a run longer than the TTL, so no other run starts meanwhile', async () => {
    const logs = captureLogger('debug');
    let working: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (working = resolve));
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const long: HeartbeatPhase = {
      name: 'reconcile',
      async run(context) {
        working();
        await Promise.race([finished, untilAborted(context.signal)]);
        await recordPhaseWork(context, 'reconcile', 0);
        return { summary: {} };
      },
    };
    const main = run([long], { leaseTtlMs: 1_000 }, db.pool, undefined, logs.logger);
    await started;
    // The TTL of the lease taken at the start runs out (PostgreSQL's now() decides expiry, which no
    // injected clock reaches, so the test moves the expiry instead of waiting a TTL out): from here
    // only a renewal keeps the lease. The second renewal logged after this one was sent after it.
    await db.pool.query(`update atc.heartbeat_lease set expires_at = now() - interval '1 millisecond'`);
    const renewedTwice = (async () => {
      await logs.next('heartbeat lease renewed');
      await logs.next('heartbeat lease renewed');
    })();
    await Promise.race([
      renewedTwice,
      main.then((outcome) => {
        throw new Error(`the run ended before it renewed its lease: ${JSON.stringify(outcome)}`);
      }),
    ]);
    const rivalOutcome = await run([sqlPhase('mark_to_market', 0)], {}, leasePool());
    finish();
    const outcome = ran(await main);
    expect(rivalOutcome.kind).toBe('skipped');
    expect(outcome.status).toBe('success');
  });

  it('stops and records failure when its lease is taken over mid-run', async () => {
    const waiting: HeartbeatPhase = {
      name: 'reconcile',
      async run(context) {
        // Another run steals the lease (as if this one had stalled past the expiry).
        await db.pool.query(`update atc.heartbeat_lease set owner = 'thief', run_id = gen_random_uuid()`);
        // Works until stopped: the lease keeper's next renewal finds the lease gone and aborts.
        await untilAborted(context.signal);
        return { summary: {} };
      },
    };
    const outcome = ran(await run([waiting, sqlPhase('learn_from_outcomes', 0)], { leaseTtlMs: 1_000 }));
    expect(outcome.status).toBe('failure');
    expect(outcome.phases[0]).toMatchObject({ status: 'failed', error: { code: 'lease_lost' } });
    expect(outcome.phases[1]).toMatchObject({ status: 'skipped', error: { code: 'lease_lost' } });
    const lease = await db.pool.query<{ owner: string }>(`select owner from atc.heartbeat_lease`);
    expect(lease.rows[0]!.owner).toBe('thief');
  });
  it('records a run in the database clock whatever its injected instant, so a takeover still adds up', async () => {
    // A run at an instant years from the database's clock (a test's or a simulated one) that dies.
    const future = fixedClock('2031-03-04T15:00:00Z');
    let seen: Date | undefined;
    const dying: HeartbeatPhase = {
      name: 'reconcile',
      run(context) {
        seen = context.now;
        return Promise.reject(new Error('crashed'));
      },
    };
    const first = ran(await run([dying], {}, db.pool, future));
    expect(seen?.toISOString()).toBe('2031-03-04T15:00:00.000Z');
    await db.pool.query(`update atc.heartbeat_runs set status = 'running' where id = $1`, [first.runId]);
    await db.pool.query(
      `update atc.heartbeat_lease set run_id = $1, expires_at = now() - interval '1 second'`,
      [first.runId],
    );
    const takeover = ran(await run([sqlPhase('mark_to_market', 0)]));
    expect(takeover.tookOverRunId).toBe(first.runId);
    const stuck = await db.pool.query<{ status: string; duration_ms: number; started_at: Date }>(
      `select status, duration_ms, started_at from atc.heartbeat_runs where id = $1`,
      [first.runId],
    );
    expect(stuck.rows[0]!.status).toBe('failure');
    expect(stuck.rows[0]!.duration_ms).toBeLessThan(60_000);
  });
});
