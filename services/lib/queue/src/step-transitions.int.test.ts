import type { Pool } from 'pg';
import { eventPayloadSchemas, type StepStatus } from '@atc/contracts';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { SettleBatcher } from './settle-batcher';
import {
  recoverExpiredLeases,
  releaseUnstartedSteps,
  transitionStep,
  transitionSteps,
  type FencedTransition,
} from './step-transitions.queries';
import { claimSteps, type ClaimedStep } from './step-queue.queries';
import { settleStep } from './step-runner';
import { WorkerRuntime } from './worker-runtime';
import { silentLogger } from '@atc/platform';
import { insertQueuedSteps } from '@atc/trading/testing';
import {
  recordedMissionChanges,
  recordedStepChanges,
  unaccountedStepChanges,
} from './testing/step-changes.fixture';

const CLAIM = { market: 'crypto' as const, leaseMs: 30_000, kinds: ['execute_trade' as const] };
const HELD: StepStatus[] = ['running', 'executing'];

const succeed = (step: ClaimedStep, workerId: string): FencedTransition => ({
  lease: { stepId: step.id, workerId, attempt: step.attempt },
  from: HELD,
  to: 'succeeded',
  result: null,
});

describe('step transitions through atc.transition_steps (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('truncate atc.steps, atc.missions, atc.proposals, atc.events cascade');
  });

  it('the payloads written as JSON text equal what jsonb_build_object wrote, errors escaped', async () => {
    const errors = [
      null,
      '',
      'venue said "no"',
      'back\\slash, tab\t, newline\n, bell\u0007, nul-free control \u001f',
      'unicode: ünïcødé ✓ 🚀',
      '</script>{"changes":[]}',
    ];
    const { rows } = await db.pool.query<{
      asText: unknown;
      asBuilt: unknown;
      missionAsText: unknown;
      missionAsBuilt: unknown;
    }>(
      `select atc.step_changes_json(string_agg(
                atc.step_change_json(c.step_id, c.mission_id, c.market, 'running', 'failed', c.error), ','
                order by c.n)) as "asText",
              jsonb_build_object('changes', jsonb_agg(
                jsonb_build_object('stepId', c.step_id, 'missionId', c.mission_id, 'market', c.market,
                                   'from', 'running', 'to', 'failed', 'error', c.error) order by c.n)) as "asBuilt",
              atc.mission_change_json(min(c.mission_id::text)::uuid, 'running', 'failed') as "missionAsText",
              jsonb_build_object('missionId', min(c.mission_id::text)::uuid, 'from', 'running', 'to', 'failed')
                as "missionAsBuilt"
         from (select gen_random_uuid() as step_id, gen_random_uuid() as mission_id,
                      case when n % 2 = 0 then 'crypto' end as market, error, n
                 from unnest($1::text[]) with ordinality as e(error, n)) as c`,
      [errors],
    );
    const row = rows[0]!;
    expect(row.asText).toEqual(row.asBuilt);
    expect(row.missionAsText).toEqual(row.missionAsBuilt);
    const parsed = eventPayloadSchemas.steps_status_changed.parse(row.asText);
    expect(parsed.changes.map((change) => change.error)).toEqual(errors);
    expect(parsed.changes.map((change) => change.market)).toEqual(
      errors.map((_, i) => ((i + 1) % 2 === 0 ? 'crypto' : null)),
    );
  });

  it('a batch: each step fenced and moved, one event listing every change, the mission rolled up', async () => {
    const { missionId, stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 3 });
    const claimed = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 3 });
    const [a, b, c] = stepIds.map((id) => claimed.find((step) => step.id === id)!);
    const moved = await transitionSteps(db.pool, [
      { ...succeed(a!, 'w'), result: { filled: '1.5' } },
      { ...succeed(b!, 'w'), to: 'queued', error: 'venue timeout', runAfterMs: 60_000 },
      { ...succeed(c!, 'w'), to: 'failed', error: 'bad symbol' },
    ]);
    expect(moved.map((step) => `${step.from}→${step.to}`).sort()).toEqual([
      'running→failed',
      'running→queued',
      'running→succeeded',
    ]);
    const { rows } = await db.pool.query<Record<string, unknown>>(
      `select status, last_error, result, lease_owner, lease_expires_at, finished_at is not null as finished,
              run_after > now() + interval '50 seconds' as delayed
         from atc.steps where mission_id = $1 order by seq`,
      [missionId],
    );
    const row = { lease_owner: null, lease_expires_at: null, delayed: false };
    expect(rows).toEqual([
      { ...row, status: 'succeeded', last_error: null, result: { filled: '1.5' }, finished: true },
      { ...row, status: 'queued', last_error: 'venue timeout', result: null, finished: false, delayed: true },
      { ...row, status: 'failed', last_error: 'bad symbol', result: null, finished: true },
    ]);
    const events = await db.pool.query<{
      aggregate_id: string | null;
      market: string | null;
      payload: unknown;
    }>(
      `select aggregate_id, market, payload from atc.events where type = 'steps_status_changed' order by id`,
    );
    // The claim's event and the batch's; the batch's lists its changes in step id order.
    expect(events.rows).toHaveLength(2);
    const batch = eventPayloadSchemas.steps_status_changed.parse(events.rows[1]!.payload);
    expect(batch.changes.map((change) => change.stepId)).toEqual([...stepIds].sort());
    expect(events.rows[1]).toMatchObject({ aggregate_id: null, market: 'crypto' });
    expect((await recordedMissionChanges(db.pool)).filter((m) => m.missionId === missionId)).toEqual([
      { missionId, from: 'queued', to: 'running' },
    ]);
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('settles a step nobody holds only while nobody holds it, and the mission rolls up', async () => {
    const { missionId, stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    const [step] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    await transitionStep(db.pool, { ...succeed(step!, 'w'), to: 'needs_reconciliation', error: 'unknown' });
    const reconcile = {
      stepId: stepIds[0]!,
      from: ['needs_reconciliation'] as StepStatus[],
      to: 'succeeded' as const,
    };
    // Held by a worker (a lease stamped by hand): not for the reconciler.
    await db.pool.query(`update atc.steps set lease_owner = 'someone' where id = $1`, [stepIds[0]]);
    expect(await transitionStep(db.pool, reconcile)).toBeUndefined();
    await db.pool.query(`update atc.steps set lease_owner = null where id = $1`, [stepIds[0]]);
    // Two reconcilers at once: exactly one moves it.
    const both = await Promise.all([transitionStep(db.pool, reconcile), transitionStep(db.pool, reconcile)]);
    expect(both.filter((moved) => moved !== undefined)).toHaveLength(1);
    const mission = await db.pool.query<{ status: string }>('select status from atc.missions where id = $1', [
      missionId,
    ]);
    expect(mission.rows[0]!.status).toBe('succeeded');
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('a hand-back on drain takes the claim back: queued again, attempt restored, one change each', async () => {
    const { missionId } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const claimed = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 2 });
    expect(await releaseUnstartedSteps(db.pool, 'other', claimed)).toEqual([]);
    const released = await releaseUnstartedSteps(db.pool, 'w', claimed);
    expect(released.map((step) => step.to)).toEqual(['queued', 'queued']);
    const { rows } = await db.pool.query<{ status: string; attempt: number; lease_owner: string | null }>(
      'select status, attempt, lease_owner from atc.steps',
    );
    expect(rows).toEqual([
      { status: 'queued', attempt: 0, lease_owner: null },
      { status: 'queued', attempt: 0, lease_owner: null },
    ]);
    const mission = await db.pool.query<{ status: string }>('select status from atc.missions where id = $1', [
      missionId,
    ]);
    expect(mission.rows[0]!.status).toBe('queued');
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('lease recovery moves a step only while its lease is still expired', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    const [step] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 1 });
    // What recovery asks for, against a live lease (the holder renewed after recovery looked).
    const recover = {
      stepId: step!.id,
      workerId: 'w',
      attempt: step!.attempt,
      from: ['running'],
      to: 'queued',
      leaseExpired: true,
    };
    const live = await db.pool.query('select id from atc.transition_steps($1::jsonb)', [
      JSON.stringify([recover]),
    ]);
    expect(live.rows).toEqual([]);
    await db.pool.query(`update atc.steps set lease_expires_at = now() - interval '1 second'`);
    expect(await recoverExpiredLeases(db.pool)).toEqual([
      expect.objectContaining({ id: stepIds[0], from: 'running', to: 'queued' }),
    ]);
    const changes = await recordedStepChanges(db.pool);
    expect(changes.at(-1)).toMatchObject({ from: 'running', to: 'queued', error: 'lease expired; requeued' });
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('the step_status_changed event is written by no path any more', async () => {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const [a, b] = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 2 });
    await transitionStep(db.pool, succeed(a!, 'w'));
    await releaseUnstartedSteps(db.pool, 'w', [b!]);
    const { rows } = await db.pool.query<{ type: string; n: number }>(
      `select type, count(*)::int as n from atc.events where type like 'step%' group by type`,
    );
    // The claim, the settle, the hand-back: one event each, every one of the one type.
    expect(rows).toEqual([{ type: 'steps_status_changed', n: 3 }]);
  });

  it('sibling steps settled concurrently by 8 workers roll every mission up to succeeded, one change at a time', async () => {
    const missions = await Promise.all(
      Array.from({ length: 30 }, () => insertQueuedSteps(db.pool, { market: 'crypto', count: 4 })),
    );
    // A pool per worker: separate batchers, so settles of siblings really run side by side.
    const pools: Pool[] = Array.from({ length: 8 }, () => db.createPool(2));
    await Promise.all(
      pools.map(async (pool, worker) => {
        const workerId = `w${worker}`;
        const batcher = new SettleBatcher(pool);
        for (;;) {
          const batch = await claimSteps(pool, { ...CLAIM, workerId, limit: 1 + (worker % 3) });
          if (batch.length === 0) return;
          const settled = await Promise.all(
            batch.map((step) =>
              settleStep(
                batcher,
                step,
                { stepId: step.id, workerId, attempt: step.attempt },
                { type: 'succeeded' },
              ),
            ),
          );
          expect(settled).toEqual(batch.map(() => 'succeeded'));
        }
      }),
    );
    const statuses = await db.pool.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from atc.missions group by status',
    );
    expect(statuses.rows).toEqual([{ status: 'succeeded', n: missions.length }]);
    // Each mission's changes form one chain from queued to succeeded: none was missed or repeated.
    const events = await db.pool.query<{ aggregate_id: string; payload: { from: string; to: string } }>(
      `select aggregate_id, payload from atc.events where type = 'mission_status_changed' order by id`,
    );
    for (const { missionId } of missions) {
      const chain = events.rows.filter((e) => e.aggregate_id === missionId).map((e) => e.payload);
      expect(chain.length).toBeGreaterThan(0);
      expect(chain[0]!.from).toBe('queued');
      expect(chain.at(-1)!.to).toBe('succeeded');
      chain.slice(1).forEach((change, i) => expect(change.from).toBe(chain[i]!.to));
    }
    // Every step's claim and settle recorded once.
    const changes = await recordedStepChanges(db.pool);
    expect(changes.filter((c) => c.from === 'queued' && c.to === 'running')).toHaveLength(
      missions.length * 4,
    );
    expect(changes.filter((c) => c.to === 'succeeded')).toHaveLength(missions.length * 4);
    expect(new Set(changes.map((c) => `${c.stepId} ${c.to}`)).size).toBe(changes.length);
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('the runtime settles through the batcher it is given: runtimes sharing a pool share its group commit', async () => {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 2 });
    const batcher = new SettleBatcher(db.pool);
    const settle = jest.spyOn(batcher, 'settle');
    let ran = 0;
    let bothRan: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (bothRan = resolve));
    const runtimeFor = (workerId: string) =>
      new WorkerRuntime({
        pool: db.pool,
        market: 'crypto',
        workerId,
        kinds: ['execute_trade'],
        concurrency: 1,
        leaseMs: 30_000,
        leaseRenewIntervalMs: 10_000,
        pollIntervalMs: 60_000,
        executor: () => {
          if (++ran === 2) bothRan();
          return Promise.resolve({ type: 'succeeded' });
        },
        mayClaim: () => true,
        logger: silentLogger(),
        settleBatcher: batcher,
      });
    const runtimes = [runtimeFor('a'), runtimeFor('b')];
    runtimes.forEach((runtime) => runtime.start());
    await done;
    // Drain waits for the settles of the steps in flight.
    await Promise.all(runtimes.map((runtime) => runtime.drain()));
    expect(settle).toHaveBeenCalledTimes(2);
    const { rows } = await db.pool.query<{ status: string }>('select status from atc.steps');
    expect(rows.map((row) => row.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('a batch settles what it holds: a lost lease is skipped and a failing transition fails alone', async () => {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 4 });
    const steps = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 4 });
    expect(steps).toHaveLength(4);
    const batcher = new SettleBatcher(db.pool);
    const [lost, broken, ...fine] = steps;
    const results = await Promise.allSettled([
      batcher.settle({ ...succeed(lost!, 'w'), lease: { ...succeed(lost!, 'w').lease, attempt: 99 } }),
      // Not a status the schema accepts: the whole batch statement fails, then each goes alone.
      batcher.settle({ ...succeed(broken!, 'w'), to: 'bogus' as StepStatus }),
      ...fine.map((step) => batcher.settle(succeed(step, 'w'))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<unknown>).value).toBeUndefined();
    const { rows } = await db.pool.query<{ id: string; status: string }>('select id, status from atc.steps');
    const statusOf = new Map(rows.map((row) => [row.id, row.status]));
    expect([lost, broken, ...fine].map((step) => statusOf.get(step!.id))).toEqual([
      'running',
      'running',
      'succeeded',
      'succeeded',
    ]);
  });
});
