import { PermanentError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { claimAgentSteps, claimSteps, renewLeases } from './step-queue.queries';
import { recoverExpiredLeases } from './step-transitions.queries';
import { SettleBatcher } from './settle-batcher';
import { retryDelayMs, settleStep } from './step-runner';
import { transitionStep } from './step-transitions.queries';
import { insertQueuedSteps } from '@atc/trading/testing';
import {
  recordedMissionChanges,
  recordedStepChanges,
  unaccountedStepChanges,
} from './testing/step-changes.fixture';

const CLAIM = { market: 'crypto' as const, leaseMs: 30_000, kinds: ['execute_trade' as const] };

describe('step queue (real PostgreSQL)', () => {
  let db: TestDatabase;
  let batcher: SettleBatcher;
  beforeAll(async () => {
    db = await createTestDatabase();
    batcher = new SettleBatcher(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('truncate atc.steps, atc.missions, atc.proposals, atc.events cascade');
  });

  const statusOf = async (id: string) =>
    (
      await db.pool.query<{ status: string; attempt: number }>(
        'select status, attempt from atc.steps where id = $1',
        [id],
      )
    ).rows[0]!;

  it('16 concurrent claimers on separate connections take each of 200 steps exactly once', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 200 });
    const pool = db.createPool(16);
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        for (;;) {
          const batch = await claimSteps(pool, { ...CLAIM, workerId: `w${worker}`, limit: 3 });
          if (batch.length === 0) return;
          claimed.push(...batch.map((s) => s.id));
        }
      }),
    );
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
    expect(new Set(claimed)).toEqual(new Set(stepIds));
    const attempts = await db.pool.query<{ attempt: number; n: string }>(
      'select attempt, count(*) as n from atc.steps group by attempt',
    );
    expect(attempts.rows).toEqual([{ attempt: 1, n: '200' }]);
  });

  it('claims only its market, its kinds, and steps whose run_after has come, by priority', async () => {
    await insertQueuedSteps(db.pool, { market: 'options', count: 2 });
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 1, kind: 'analyze' });
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 3 });
    await db.pool.query(`update atc.steps set run_after = now() + interval '1 hour' where id = $1`, [
      stepIds[0],
    ]);
    await db.pool.query(`update atc.steps set priority = 1 where id = $1`, [stepIds[2]]);
    const batch = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 10 });
    expect(batch.map((s) => s.id)).toEqual([stepIds[2], stepIds[1]]);
  });

  it('a worker whose lease was taken over cannot complete the step', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    const [first] = await claimSteps(db.pool, { ...CLAIM, workerId: 'slow', limit: 1 });
    // The slow worker stalls past its lease; the reaper requeues, another worker claims.
    await db.pool.query(`update atc.steps set lease_expires_at = now() - interval '1 second'`);
    expect((await recoverExpiredLeases(db.pool)).map((s) => s.to)).toEqual(['queued']);
    const [second] = await claimSteps(db.pool, { ...CLAIM, workerId: 'fast', limit: 1 });
    expect(second!.attempt).toBe(first!.attempt + 1);

    const staleLease = { stepId: stepIds[0]!, workerId: 'slow', attempt: first!.attempt };
    expect(await settleStep(batcher, first!, staleLease, { type: 'succeeded' })).toBe('lease_lost');
    expect(
      await renewLeases(db.pool, 'slow', [{ stepId: stepIds[0]!, attempt: first!.attempt }], 30_000),
    ).toEqual([]);
    expect(await statusOf(stepIds[0]!)).toEqual({ status: 'running', attempt: 2 });

    const lease = { stepId: stepIds[0]!, workerId: 'fast', attempt: second!.attempt };
    expect(await settleStep(batcher, second!, lease, { type: 'succeeded', result: { ok: true } })).toBe(
      'succeeded',
    );
    expect(await statusOf(stepIds[0]!)).toEqual({ status: 'succeeded', attempt: 2 });
  });

  it('even the same worker id with an older attempt is fenced out', async () => {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    const [first] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    await db.pool.query(`update atc.steps set lease_expires_at = now() - interval '1 second'`);
    await recoverExpiredLeases(db.pool);
    await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    const moved = await transitionStep(db.pool, {
      lease: { stepId: first!.id, workerId: 'w', attempt: first!.attempt },
      from: ['running'],
      to: 'succeeded',
    });
    expect(moved).toBeUndefined();
  });

  it('an expired lease on an executing step goes to needs_reconciliation, never back to the queue', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const claimed = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 2 });
    const executing = claimed.find((s) => s.id === stepIds[0])!;
    await transitionStep(db.pool, {
      lease: { stepId: executing.id, workerId: 'w', attempt: executing.attempt },
      from: ['running'],
      to: 'executing',
    });
    await db.pool.query(`update atc.steps set lease_expires_at = now() - interval '1 second'`);
    const recovered = await recoverExpiredLeases(db.pool);
    expect(Object.fromEntries(recovered.map((s) => [s.id, s.to]))).toEqual({
      [stepIds[0]!]: 'needs_reconciliation',
      [stepIds[1]!]: 'queued',
    });
    expect(await claimSteps(db.pool, { ...CLAIM, workerId: 'w2', limit: 5 })).toHaveLength(1);
  });

  it('a live lease is never recovered', async () => {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    expect(await recoverExpiredLeases(db.pool)).toEqual([]);
  });

  it('retries with backoff, goes dead after max_attempts, and fails at once on a permanent error', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 2, maxAttempts: 2 });
    const [a, b] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 2 });
    const leaseOf = (s: typeof a) => ({ stepId: s!.id, workerId: 'w', attempt: s!.attempt });

    expect(await settleStep(batcher, a!, leaseOf(a), { thrown: new Error('venue timeout') })).toBe('queued');
    const row = await db.pool.query<{ delayed: boolean; last_error: string; lease_owner: string | null }>(
      `select run_after > now() as delayed, last_error, lease_owner from atc.steps where id = $1`,
      [a!.id],
    );
    expect(row.rows[0]).toEqual({ delayed: true, last_error: 'venue timeout', lease_owner: null });

    await db.pool.query(`update atc.steps set run_after = now() where id = $1`, [a!.id]);
    const [again] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    expect(again!.attempt).toBe(2);
    expect(await settleStep(batcher, again!, leaseOf(again), { thrown: new Error('still down') })).toBe(
      'dead',
    );
    const dead = await db.pool.query<{ last_error: string }>(
      `select last_error from atc.steps where id = $1`,
      [a!.id],
    );
    expect(dead.rows[0]!.last_error).toMatch(/gave up after 2 attempts: still down/);

    expect(await settleStep(batcher, b!, leaseOf(b), { thrown: new PermanentError('bad symbol') })).toBe(
      'failed',
    );
    expect((await statusOf(stepIds[1]!)).status).toBe('failed');
  });

  it('retry delays grow exponentially with jitter and a ceiling', () => {
    const backoff = { baseMs: 1000, maxMs: 10_000 };
    expect(retryDelayMs(1, backoff, () => 1)).toBe(1000);
    expect(retryDelayMs(3, backoff, () => 1)).toBe(4000);
    expect(retryDelayMs(3, backoff, () => 0)).toBe(2000);
    expect(retryDelayMs(10, backoff, () => 1)).toBe(10_000);
  });

  const missionStatus = async (id: string) =>
    (await db.pool.query<{ status: string }>('select status from atc.missions where id = $1', [id])).rows[0]!
      .status;

  it('records every transition as an event, the claim included, and rolls the mission up', async () => {
    const { missionId, stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const claimed = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 2 });
    // The claim itself: both steps queued → running in one event, the mission queued → running.
    expect(await missionStatus(missionId)).toBe('running');
    expect((await recordedStepChanges(db.pool)).map((c) => `${c.stepId} ${c.from}→${c.to}`)).toEqual(
      [...stepIds].sort().map((id) => `${id} queued→running`),
    );
    for (const step of claimed) {
      await settleStep(
        batcher,
        step,
        { stepId: step.id, workerId: 'w', attempt: step.attempt },
        { type: 'succeeded' },
      );
    }
    expect(await missionStatus(missionId)).toBe('succeeded');
    const changes = (await recordedStepChanges(db.pool)).map((c) => `${c.stepId} ${c.from}→${c.to}`);
    expect(changes.sort()).toEqual(
      stepIds.flatMap((id) => [`${id} queued→running`, `${id} running→succeeded`]).sort(),
    );
    expect(await recordedMissionChanges(db.pool)).toEqual([
      { missionId, from: 'queued', to: 'running' },
      { missionId, from: 'running', to: 'succeeded' },
    ]);
    // Every step's changes chain up to its status; the mission's is what the SQL rule makes of them.
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('a claim that rolls back leaves its steps queued, its mission queued and no event', async () => {
    const { missionId, stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 3 });
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      expect(await claimSteps(client, { ...CLAIM, workerId: 'w', limit: 3 })).toHaveLength(3);
      await client.query('rollback');
    } finally {
      client.release();
    }
    for (const id of stepIds) expect(await statusOf(id)).toEqual({ status: 'queued', attempt: 0 });
    expect(await missionStatus(missionId)).toBe('queued');
    expect((await db.pool.query('select 1 from atc.events')).rowCount).toBe(0);
  });

  it('claiming a later step of a running mission records the step and leaves the mission alone', async () => {
    const { missionId } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    expect(await recordedStepChanges(db.pool)).toHaveLength(2);
    expect(await recordedMissionChanges(db.pool)).toEqual([{ missionId, from: 'queued', to: 'running' }]);
  });

  it('agent claims take agent kinds of any market, with the same lease, events and roll-up', async () => {
    const analysis = await insertQueuedSteps(db.pool, { market: 'options', count: 1, kind: 'analyze' });
    await insertQueuedSteps(db.pool, { market: 'options', count: 1 });
    const claimed = await claimAgentSteps(db.pool, {
      workerId: 'agents',
      limit: 5,
      leaseMs: 30_000,
      kinds: ['analyze', 'calculate_risk', 'roundtable'],
    });
    expect(claimed.map((s) => [s.id, s.kind, s.attempt, s.leaseOwner])).toEqual([
      [analysis.stepIds[0], 'analyze', 1, 'agents'],
    ]);
    expect(await recordedStepChanges(db.pool)).toEqual([
      expect.objectContaining({ stepId: analysis.stepIds[0], from: 'queued', to: 'running' }),
    ]);
    expect(await missionStatus(analysis.missionId)).toBe('running');
  });
});
