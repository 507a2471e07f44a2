import { missionStatuses, stepStatuses, type StepStatus } from '@atc/contracts';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';

/**
 * The mission roll-up rule has one implementation, atc.mission_status_from_steps (every step
 * transition rolls up with it, in atc.transition_steps); these are its cases, run by PostgreSQL.
 */
describe('mission status from its steps: atc.mission_status_from_steps (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const ruleOf = async (cases: readonly (readonly StepStatus[])[]): Promise<string[]> => {
    const { rows } = await db.pool.query<{ status: string }>(
      `select atc.mission_status_from_steps(array(select jsonb_array_elements_text(c.statuses))) as status
         from jsonb_array_elements($1::jsonb) with ordinality as c(statuses, n)
        order by c.n`,
      [JSON.stringify(cases)],
    );
    return rows.map((row) => row.status);
  };

  it.each([
    [[], 'cancelled'],
    [['queued'], 'queued'],
    [['queued', 'queued'], 'queued'],
    [['queued', 'running'], 'running'],
    [['succeeded', 'queued'], 'running'],
    [['succeeded', 'running'], 'running'],
    [['succeeded', 'executing'], 'running'],
    // The venue may still have filled it: unfinished, never failed.
    [['succeeded', 'needs_reconciliation'], 'running'],
    [['failed', 'needs_reconciliation'], 'running'],
    [['succeeded', 'succeeded'], 'succeeded'],
    [['succeeded', 'cancelled'], 'succeeded'],
    [['succeeded', 'dead'], 'failed'],
    [['succeeded', 'failed'], 'failed'],
    [['failed', 'cancelled'], 'failed'],
    [['dead'], 'failed'],
    [['cancelled', 'cancelled'], 'cancelled'],
  ] as const)('%j → %s', async (steps, expected) => {
    expect(await ruleOf([steps])).toEqual([expected]);
  });

  it('gives a mission status for every mix of up to 3 step statuses, never depending on their order', async () => {
    const cases: StepStatus[][] = [];
    for (const a of stepStatuses)
      for (const b of stepStatuses) for (const c of stepStatuses) cases.push([a, b, c]);
    const statuses = await ruleOf(cases);
    expect(statuses.every((s) => (missionStatuses as readonly string[]).includes(s))).toBe(true);
    const bySet = new Map<string, string>();
    cases.forEach((statusesOfSteps, i) => {
      const key = [...statusesOfSteps].sort().join(',');
      expect(bySet.get(key) ?? statuses[i]).toBe(statuses[i]);
      bySet.set(key, statuses[i]!);
    });
  });
});
