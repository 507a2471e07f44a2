import type { Pool } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { rejectProposal } from './approvals';
import { readCounter } from './counters.queries';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { insertTestMarks, tradeProposal, tunePolicy } from './testing/proposal.fixtures';

const SUBMISSIONS = 200;
const REPETITIONS = 50;
const LIMIT = 8;
const DAY_MS = 86_400_000;

/**
 * Invariant 4 under real concurrency: 200 submissions at once, each on its own connection, against
 * max_daily_trades = 8. Each repetition trades on its own (simulated) day, so it starts from an empty
 * counter without deleting anything.
 */
describe('risk gates under concurrency', () => {
  let db: TestDatabase;
  let pool: Pool;
  const base = new Date('2031-01-06T15:00:00Z').getTime();

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await tunePolicy(db.pool, 'trade_limits', {
      maxDailyTrades: LIMIT,
      maxOpenPositions: 1_000,
      maxTotalExposureUsd: '100000000',
    });
    pool = db.createPool(SUBMISSIONS);
  });
  afterAll(async () => {
    await db.drop();
  });

  async function burst(asOf: Date) {
    // Half small (auto-approved, with a mission), half large (awaiting a vote): both hold slots.
    const inputs = Array.from({ length: SUBMISSIONS }, (_, i) =>
      tradeProposal({ notionalUsd: i % 2 ? '30' : '50' }),
    );
    return Promise.all(inputs.map((input) => submitProposal(pool, input, { asOf })));
  }

  it(`${SUBMISSIONS} concurrent submissions leave exactly ${LIMIT} holding slots, ${REPETITIONS} times out of ${REPETITIONS}`, async () => {
    const held: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const asOf = new Date(base + rep * DAY_MS);
      await insertTestMarks(db.pool, asOf);
      const decisions = await burst(asOf);
      const { rows } = await db.pool.query<{ holding: number; day: string }>(
        `select count(*)::int as holding, min(slots_day)::text as day from atc.proposals
          where id = any($1::uuid[]) and trade_slots > 0`,
        [decisions.map((d) => d.proposalId)],
      );
      held.push(rows[0]!.holding);
      const accepted = decisions.filter((d) => d.status === 'approved' || d.status === 'awaiting_approval');
      const refused = decisions.filter((d) => d.reasonCode === 'daily_trade_limit');
      expect([accepted.length, refused.length]).toEqual([LIMIT, SUBMISSIONS - LIMIT]);
      expect(await readCounter(db.pool, 'trades', rows[0]!.day)).toBe(LIMIT);
    }
    expect(held).toEqual(Array.from({ length: REPETITIONS }, () => LIMIT));
  }, 300_000);

  it('slots given back by an approver rejection are reusable, and never more than the limit', async () => {
    const asOf = new Date(base + 100 * DAY_MS);
    await insertTestMarks(db.pool, asOf);
    const inputs = Array.from({ length: LIMIT }, () => tradeProposal({ notionalUsd: '50' }));
    const decisions = await Promise.all(inputs.map((input) => submitProposal(pool, input, { asOf })));
    expect(decisions.every((d) => d.status === 'awaiting_approval')).toBe(true);
    const { rows } = await db.pool.query<{ id: string; content_hash: string }>(
      'select id, content_hash from atc.proposals where id = any($1::uuid[]) limit 3',
      [decisions.map((d) => d.proposalId)],
    );
    for (const row of rows) {
      await rejectProposal(pool, {
        proposalId: row.id,
        approver: 'operator:test',
        contentHash: row.content_hash,
        reason: 'no',
      });
    }
    const retries = await Promise.all(
      Array.from({ length: 20 }, () => submitProposal(pool, tradeProposal({ notionalUsd: '50' }), { asOf })),
    );
    expect(retries.filter((d) => d.status === 'awaiting_approval')).toHaveLength(3);
    expect(retries.filter((d) => d.reasonCode === 'daily_trade_limit')).toHaveLength(17);
  });
});
