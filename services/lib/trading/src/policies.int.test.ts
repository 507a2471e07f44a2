import { InputError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { getPolicy, readPolicySnapshot, setPolicy } from './policies';
import { applySeeds } from './seeds';

describe('policies and seeds', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('seeds the six agents, 15 relationship pairs, every policy and the trigger rules, idempotently', async () => {
    const first = await applySeeds(db.pool);
    expect(first).toEqual({ policies: 16, relationships: 15, triggerRules: 12 });
    expect(await applySeeds(db.pool)).toEqual({ policies: 0, relationships: 0, triggerRules: 0 });
    const agents = await getPolicy(db.pool, 'agents');
    expect(Object.keys(agents.value as object).sort()).toEqual([
      'atlas',
      'growth',
      'intel',
      'observer',
      'sage',
      'scout',
    ]);
    const venues = await getPolicy(db.pool, 'venues');
    expect(venues.value).toEqual({ crypto: 'simulation', options: 'simulation', futures: 'simulation' });
    const { rows } = await db.pool.query<{ affinity: string }>(
      `select affinity::text from atc.relationships where agent_a = 'intel' and agent_b = 'sage'`,
    );
    expect(rows).toEqual([{ affinity: '0.30' }]);
  });

  it('seeding keeps an operator’s change', async () => {
    await setPolicy(db.pool, {
      key: 'quotas',
      value: { maxDailyAnalyses: 5, maxDailyRoundtables: 2 },
      by: 'operator:ann',
    });
    await applySeeds(db.pool);
    expect((await getPolicy(db.pool, 'quotas')).value).toEqual({
      maxDailyAnalyses: 5,
      maxDailyRoundtables: 2,
    });
  });

  it('a change is validated, versioned and audited; the global version grows', async () => {
    const before = await readPolicySnapshot(db.pool);
    const row = await setPolicy(db.pool, {
      key: 'trade_limits',
      value: { ...before.tradeLimits, maxDailyTrades: 5 },
      by: 'operator:ann',
    });
    expect(row.version).toBeGreaterThan(before.version);
    expect((await readPolicySnapshot(db.pool)).version).toBe(row.version);
    const { rows } = await db.pool.query(
      `select actor, action from atc.audit_log where subject_id = 'trade_limits' order by id desc limit 1`,
    );
    expect(rows).toEqual([{ actor: 'operator:ann', action: 'policy.set' }]);
  });

  it('refuses an invalid policy with field-level messages and changes nothing', async () => {
    const before = await getPolicy(db.pool, 'trade_limits');
    const error = await setPolicy(db.pool, {
      key: 'trade_limits',
      value: { ...(before.value as object), maxPositionSizeUsd: 60, minConfidence: 2 },
      by: 'operator:ann',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details?.issues).toEqual([
      expect.stringMatching(/^maxPositionSizeUsd: /),
      expect.stringMatching(/^minConfidence: /),
    ]);
    expect(await getPolicy(db.pool, 'trade_limits')).toEqual(before);
  });

  it('refuses unknown keys and the halts row (only the kill switch changes it)', async () => {
    await expect(setPolicy(db.pool, { key: 'nope', value: {}, by: 'x' })).rejects.toThrow(
      /unknown policy key/,
    );
    await expect(setPolicy(db.pool, { key: 'halts', value: {}, by: 'x' })).rejects.toThrow(/kill switch/);
  });
});
