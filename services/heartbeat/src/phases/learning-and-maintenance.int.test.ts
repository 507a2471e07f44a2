import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { submitProposal, applySeeds } from '@atc/trading';
import { tradeProposal, insertTestMarks, insertQueuedSteps } from '@atc/trading/testing';
import { TestVenue } from '@atc/venues/testing';
import { PhaseCancelledError } from './phase-transaction';
import { phaseContext } from './testing/phase-context.fixture';
import { count, phaseNamed, recordOutcome } from './testing/state.fixture';

const now = new Date('2031-03-04T15:00:00Z');

describe('learning, promotion, maintenance and cancellation', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, now);
  });
  afterEach(() => db.drop());

  it('each outcome becomes one lesson, once; three losses in a row make growth ask for a review', async () => {
    for (let i = 0; i < 3; i++) {
      await recordOutcome(db.pool, {
        symbol: 'SOL',
        pnlFraction: '-0.1',
        outcomeType: 'loss',
        closedAt: new Date(now.getTime() - (3 - i) * 60_000),
      });
    }
    const phase = phaseNamed('learn_from_outcomes');
    const first = await phase.run(phaseContext(db.pool, { now }));
    const second = await phase.run(phaseContext(db.pool, { now }));
    expect(first.summary).toMatchObject({ outcomes: 3, lessons: 3, followUps: 1 });
    expect(second.summary).toMatchObject({ outcomes: 0, lessons: 0 });
    const { rows } = await db.pool.query(
      `select agent, type, confidence::text, tags from atc.memories order by created_at limit 1`,
    );
    // No proposal opened these positions, so the loss's lesson is sage's; 0.5 + 0.1 is in the band.
    expect(rows[0]).toEqual({
      agent: 'sage',
      type: 'lesson',
      confidence: '0.60',
      tags: ['loss', 'crypto', 'SOL'],
    });
    expect(
      await count(db.pool, `select 1 from atc.proposals where source_trace_id like 'growth:streak:%'`),
    ).toBe(1);
  });

  it('promotes confident or upvoted memories, a bounded few per run', async () => {
    await db.pool.query(
      `insert into atc.memories (agent, type, content, confidence, upvotes)
       values ('growth', 'insight', 'a', 0.85, 0), ('intel', 'pattern', 'b', 0.65, 4), ('sage', 'lesson', 'c', 0.60, 0)`,
    );
    const result = await phaseNamed('promote_insights').run(phaseContext(db.pool, { now }));
    expect(result.summary).toEqual({ promoted: 2 });
    const { rows } = await db.pool.query(`select content from atc.memories where promoted order by content`);
    expect(rows).toEqual([{ content: 'a' }, { content: 'b' }]);
  });

  it('a phase out of budget is cancelled by the statement timeout and rolls back its writes', async () => {
    const outcomeId = await recordOutcome(db.pool, {
      symbol: 'SOL',
      pnlFraction: '0.2',
      outcomeType: 'win',
      closedAt: now,
    });
    const blocker = await db.pool.connect();
    try {
      // Another transaction blocks writes to memories, so the phase's insert waits past its budget.
      await blocker.query('begin');
      await blocker.query('lock table atc.memories in share row exclusive mode');
      await expect(
        phaseNamed('learn_from_outcomes').run(phaseContext(db.pool, { now, budgetMs: 300 })),
      ).rejects.toThrow(/statement timeout/);
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
    // The claim of the outcome rolled back with the insert: the next run learns it.
    const { rows } = await db.pool.query<{ learned_at: Date | null }>(
      'select learned_at from atc.outcomes where id = $1',
      [outcomeId],
    );
    expect(rows[0]!.learned_at).toBeNull();
    const retry = await phaseNamed('learn_from_outcomes').run(phaseContext(db.pool, { now }));
    expect(retry.summary).toMatchObject({ lessons: 1 });
  });

  it('a cancelled signal stops a phase before it writes', async () => {
    const controller = new AbortController();
    controller.abort();
    await recordOutcome(db.pool, { symbol: 'SOL', pnlFraction: '0.2', outcomeType: 'win', closedAt: now });
    await expect(
      phaseNamed('learn_from_outcomes').run(phaseContext(db.pool, { now, signal: controller.signal })),
    ).rejects.toBeInstanceOf(PhaseCancelledError);
    expect(await count(db.pool, 'select 1 from atc.memories')).toBe(0);
  });

  it('expires stale awaiting proposals and recovers expired leases with their events', async () => {
    const awaiting = await submitProposal(db.pool, tradeProposal({ notionalUsd: '50' }), { asOf: now });
    expect(awaiting.status).toBe('awaiting_approval');
    const expired = await phaseNamed('expire_proposals').run(
      phaseContext(db.pool, { now: new Date(now.getTime() + 61 * 60_000) }),
    );
    expect(expired.summary).toEqual({ expired: 1 });
    const {
      stepIds: [stepId],
    } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 1, kind: 'analyze' });
    await db.pool.query(
      `update atc.steps set status = 'running', lease_owner = 'w', lease_expires_at = now() - interval '1 second' where id = $1`,
      [stepId],
    );
    const recovered = await phaseNamed('recover_leases').run(phaseContext(db.pool, { now }));
    expect(recovered.summary).toEqual({ requeued: 1, toReconciliation: 0 });
    expect(
      await count(
        db.pool,
        `select 1 from atc.events
          where type = 'steps_status_changed'
            and payload -> 'changes' @> jsonb_build_array(jsonb_build_object('stepId', $1::text, 'to', 'queued'))`,
        [stepId],
      ),
    ).toBe(1);
  });

  it('reconcile reports drift per market (drift:<market>), which the exporter reads as atc_position_drift', async () => {
    // The ledger holds two open crypto positions the venue (no orders at all) does not.
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price)
       values ('crypto', 'SOLX', 'long', 2, 100), ('crypto', 'JUPX', 'long', 1, 1)`,
    );
    const venues = {
      crypto: new TestVenue({ market: 'crypto' }),
      futures: new TestVenue({ market: 'futures' }),
    };
    const result = await phaseNamed('reconcile').run(phaseContext(db.pool, { now, venues }));
    expect(result.summary).toMatchObject({ drift: 2, 'drift:crypto': 2 });
    expect(result.summary).not.toHaveProperty('drift:futures');
  });
});
