import type { Pool } from 'pg';
import { eventPayloadSchemas, stepStatuses, type StepStatus } from '@atc/contracts';
import { withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { missionStatusFromSteps } from '../missions';
import { SettleBatcher } from './settle-batcher';
import { settleHeldSteps } from './settle-held-steps.queries';
import { transitionStep } from './step-transitions';
import { claimSteps, type ClaimedStep, type FencedTransition } from './step-queue.queries';
import { settleStep } from './step-runner';
import { insertQueuedSteps } from './testing/queued-steps.fixture';
import { recordedMissionChanges, recordedStepChanges } from './testing/step-changes.fixture';

const CLAIM = { market: 'crypto' as const, leaseMs: 30_000, kinds: ['execute_trade' as const] };
const HELD: StepStatus[] = ['running', 'executing'];

const succeed = (step: ClaimedStep, workerId: string): FencedTransition => ({
  lease: { stepId: step.id, workerId, attempt: step.attempt },
  from: HELD,
  to: 'succeeded',
  result: null,
});

/** Every multiset of step statuses with 1 to `size` members (order does not matter to the rule). */
function statusCombinations(size: number): StepStatus[][] {
  const out: StepStatus[][] = [];
  const grow = (prefix: StepStatus[], from: number) => {
    if (prefix.length > 0) out.push(prefix);
    if (prefix.length === size) return;
    for (let i = from; i < stepStatuses.length; i++) grow([...prefix, stepStatuses[i]!], i);
  };
  grow([], 0);
  return out;
}

describe('batched settles (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('truncate atc.steps, atc.missions, atc.proposals, atc.events cascade');
  });

  it('the SQL roll-up rule agrees with missionStatusFromSteps for every mix of up to 3 step statuses', async () => {
    const cases = [[], ...statusCombinations(3)];
    const { rows } = await db.pool.query<{ status: string }>(
      `select atc.mission_status_from_steps(array(select jsonb_array_elements_text(c.statuses))) as status
         from jsonb_array_elements($1::jsonb) with ordinality as c(statuses, n)
        order by c.n`,
      [JSON.stringify(cases)],
    );
    expect(rows.map((r) => r.status)).toEqual(cases.map((c) => missionStatusFromSteps(c)));
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

  it('has the effects of transitionStep: same step rows, same events, same mission roll-up', async () => {
    const viaTransaction = await insertQueuedSteps(db.pool, { market: 'crypto', count: 3 });
    const viaFunction = await insertQueuedSteps(db.pool, { market: 'crypto', count: 3 });
    const claimed = await claimSteps(db.pool, { ...CLAIM, workerId: 'w', limit: 6 });
    const plans = (stepIds: string[]): FencedTransition[] => {
      const [a, b, c] = stepIds.map((id) => claimed.find((step) => step.id === id)!);
      return [
        { ...succeed(a!, 'w'), result: { filled: '1.5' } },
        { ...succeed(b!, 'w'), to: 'queued', error: 'venue timeout', runAfterMs: 60_000 },
        { ...succeed(c!, 'w'), to: 'failed', error: 'bad symbol' },
      ];
    };
    for (const transition of plans(viaTransaction.stepIds)) {
      await withTransaction(db.pool, (client) => transitionStep(client, transition));
    }
    expect(await settleHeldSteps(db.pool, plans(viaFunction.stepIds))).toHaveLength(3);

    const stepsOf = async (missionId: string) =>
      (
        await db.pool.query<Record<string, unknown>>(
          `select status, last_error, result, lease_owner, lease_expires_at, finished_at is not null as finished,
                  run_after > now() + interval '50 seconds' as delayed
             from atc.steps where mission_id = $1 order by seq`,
          [missionId],
        )
      ).rows;
    expect(await stepsOf(viaFunction.missionId)).toEqual(await stepsOf(viaTransaction.missionId));
    // The same transitions and mission changes recorded: one event per transition there, one event
    // for the batch here (the claim's queued → running entries are the same for both).
    const changesOf = async (missionId: string, stepIds: string[]) =>
      (await recordedStepChanges(db.pool))
        .filter((c) => stepIds.includes(c.stepId))
        .map((c) => `STEP${stepIds.indexOf(c.stepId)} ${c.from}→${c.to} ${c.market} ${c.error}`)
        .sort();
    expect(await changesOf(viaFunction.missionId, viaFunction.stepIds)).toEqual(
      await changesOf(viaTransaction.missionId, viaTransaction.stepIds),
    );
    const missionChangesOf = async (missionId: string) =>
      (await recordedMissionChanges(db.pool))
        .filter((c) => c.missionId === missionId)
        .map((c) => `${c.from}→${c.to}`);
    expect(await missionChangesOf(viaFunction.missionId)).toEqual(
      await missionChangesOf(viaTransaction.missionId),
    );
    const batchEvents = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from atc.events where type = 'steps_status_changed'`,
    );
    // The claim's event and the batch's.
    expect(batchEvents.rows[0]!.n).toBe(2);
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
        for (;;) {
          const batch = await claimSteps(pool, { ...CLAIM, workerId, limit: 1 + (worker % 3) });
          if (batch.length === 0) return;
          const settled = await Promise.all(
            batch.map((step) =>
              settleStep(
                pool,
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
