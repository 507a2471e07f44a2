// The KEDA ScaledObjects' queue-depth queries, run against the migrated schema: each counts exactly
// the queued, due steps its worker claims (its market and kinds), so KEDA scales on real work.
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { insertQueuedSteps } from '@atc/trading/testing';
import { FULLNAME, render } from './render';
import { at, ofKind } from './workloads';

const WORKERS = ['crypto', 'options', 'futures', 'roundtable'];

/** Worker Deployment name → the SQL of its ScaledObject's postgresql trigger, with KEDA on for all. */
function queries(): Map<string, string> {
  const set = Object.fromEntries(WORKERS.map((worker) => [`workers.${worker}.keda.enabled`, true]));
  const scaledObjects = ofKind(render({ set }), 'ScaledObject');
  return new Map(
    scaledObjects.map((scaledObject) => {
      const triggers = at(scaledObject, 'spec', 'triggers') as {
        type: string;
        metadata: { query: string };
      }[];
      const trigger = triggers.find((candidate) => candidate.type === 'postgresql');
      return [at(scaledObject, 'spec', 'scaleTargetRef', 'name') as string, trigger?.metadata.query ?? ''];
    }),
  );
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function count(query: string): Promise<number> {
  const result = await db.pool.query<{ count: string }>(query);
  return Number(result.rows[0]?.count);
}

it('each query counts its worker’s queued steps and no one else’s', async () => {
  const byWorker = queries();
  expect([...byWorker.keys()].sort()).toEqual(WORKERS.map((worker) => `${FULLNAME}-worker-${worker}`).sort());
  for (const query of byWorker.values()) expect(await count(query)).toBe(0);

  await insertQueuedSteps(db.pool, { market: 'crypto', count: 2, kind: 'execute_trade' });
  await insertQueuedSteps(db.pool, { market: 'crypto', count: 1, kind: 'monitor_position' });
  await insertQueuedSteps(db.pool, { market: 'options', count: 1, kind: 'close_position' });
  await insertQueuedSteps(db.pool, { market: 'futures', count: 3, kind: 'execute_trade' });
  await insertQueuedSteps(db.pool, { market: 'crypto', count: 2, kind: 'analyze' });
  await insertQueuedSteps(db.pool, { market: 'options', count: 1, kind: 'calculate_risk' });
  await insertQueuedSteps(db.pool, { market: 'futures', count: 1, kind: 'roundtable' });

  const counts = Object.fromEntries(
    await Promise.all([...byWorker].map(async ([name, query]) => [name, await count(query)] as const)),
  );
  expect(counts).toEqual({
    [`${FULLNAME}-worker-crypto`]: 3,
    [`${FULLNAME}-worker-options`]: 1,
    [`${FULLNAME}-worker-futures`]: 3,
    [`${FULLNAME}-worker-roundtable`]: 4,
  });
});

it('steps not yet due are not counted', async () => {
  const query = queries().get(`${FULLNAME}-worker-options`)!;
  const before = await count(query);
  const { stepIds } = await insertQueuedSteps(db.pool, {
    market: 'options',
    count: 1,
    kind: 'execute_trade',
  });
  await db.pool.query(
    `update atc.steps set run_after = now() + interval '1 hour' where id = any($1::uuid[])`,
    [stepIds],
  );
  expect(await count(query)).toBe(before);
});
