import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { appendEvent, applySeeds } from '@atc/trading';
import { phaseContext } from './testing/phase-context.fixture';
import { count, phaseNamed } from './testing/state.fixture';

const now = new Date('2031-03-04T15:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const OUTCOME = '00000000-0000-4000-8000-0000000000a1';
const POSITION = '00000000-0000-4000-8000-0000000000b1';

const bigLoss = (outcomeId = OUTCOME) => ({
  type: 'outcome_recorded' as const,
  market: 'crypto' as const,
  tags: ['trade', 'closed', 'loss'],
  payload: {
    outcomeId,
    positionId: POSITION,
    market: 'crypto' as const,
    symbol: 'SOL',
    outcomeType: 'loss' as const,
    realisedPnl: '-12',
    pnlFraction: '-0.4',
  },
});

const fireCounts = async (db: TestDatabase) => {
  const { rows } = await db.pool.query<{ name: string; fire_count: number }>(
    'select name, fire_count from atc.trigger_rules where fire_count > 0 order by name',
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.fire_count]));
};

describe('evaluate_triggers and process_reactions', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    // The scan has its own tests; here it would only quote an empty feed.
    await db.pool.query(
      `update atc.policies set value = jsonb_set(value, '{enabled}', 'false') where key = 'signal_scan'`,
    );
  });
  afterEach(() => db.drop());

  it('a big loss fires trade_big_loss once: the cursor moves on and the cooldown holds a second loss', async () => {
    await appendEvent(db.pool, bigLoss());
    const phase = phaseNamed('evaluate_triggers');
    await phase.run(phaseContext(db.pool, { now }));
    await phase.run(phaseContext(db.pool, { now }));
    await appendEvent(db.pool, bigLoss('00000000-0000-4000-8000-0000000000a2'));
    await phase.run(phaseContext(db.pool, { now: later(30) }));
    expect((await fireCounts(db)).trade_big_loss).toBe(1);
    const { rows } = await db.pool.query(
      `select agent, source, status, content->'steps'->0->>'kind' as kind from atc.proposals where source_trace_id = 'trigger:trade_big_loss:1'`,
    );
    expect(rows).toEqual([{ agent: 'sage', source: 'trigger', status: 'approved', kind: 'analyze' }]);
    // After the 60-minute cooldown the next big loss fires again.
    await appendEvent(db.pool, bigLoss('00000000-0000-4000-8000-0000000000a3'));
    await phase.run(phaseContext(db.pool, { now: later(61) }));
    expect((await fireCounts(db)).trade_big_loss).toBe(2);
  });

  it('proactive rules fire when due and not again within their jittered interval', async () => {
    const phase = phaseNamed('evaluate_triggers');
    await phase.run(phaseContext(db.pool, { now }));
    const first = await fireCounts(db);
    expect(first).toEqual({
      proactive_market_research: 1,
      proactive_performance_review: 1,
      proactive_review_positions: 1,
      proactive_risk_analysis: 1,
      proactive_system_health: 1,
    });
    await phase.run(phaseContext(db.pool, { now: later(20) }));
    expect(await fireCounts(db)).toEqual(first);
    // 3 h 40 min later: research (180 min ± 20 %) is due for sure; system health (480 min) is not.
    await phase.run(phaseContext(db.pool, { now: later(220) }));
    const third = await fireCounts(db);
    expect(third.proactive_market_research).toBe(2);
    expect(third.proactive_system_health).toBe(1);
  });

  it('two overlapping runs fire each rule once', async () => {
    await appendEvent(db.pool, bigLoss());
    const phase = phaseNamed('evaluate_triggers');
    await Promise.all([phase.run(phaseContext(db.pool, { now })), phase.run(phaseContext(db.pool, { now }))]);
    const counts = await fireCounts(db);
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    expect(counts.trade_big_loss).toBe(1);
    expect(await count(db.pool, `select 1 from atc.proposals where source = 'trigger'`)).toBe(
      Object.keys(counts).length,
    );
  });

  it('the reaction matrix queues a reaction once per cooldown and turns it into the target agent’s proposal', async () => {
    const warning = {
      type: 'policy_changed' as const,
      agent: 'sage' as const,
      tags: ['risk', 'warning'],
      payload: { key: 'quotas' as const, version: 1, by: 'sage' },
    };
    await appendEvent(db.pool, warning);
    await appendEvent(db.pool, warning);
    const phase = phaseNamed('process_reactions');
    const first = await phase.run(phaseContext(db.pool, { now }));
    await phase.run(phaseContext(db.pool, { now }));
    expect(first.summary).toMatchObject({ queued: 1, processed: 1 });
    const { rows } = await db.pool.query(
      `select r.status, r.source_agent, r.target_agent, r.reaction_type, p.agent, p.source, p.content->'steps'->0->>'kind' as kind
         from atc.reactions r join atc.proposals p on p.id = r.proposal_id`,
    );
    expect(rows).toEqual([
      {
        status: 'processed',
        source_agent: 'sage',
        target_agent: 'atlas',
        reaction_type: 'review',
        agent: 'atlas',
        source: 'reaction',
        kind: 'calculate_risk',
      },
    ]);
    // 15 minutes later the cooldown has passed: the next warning reacts again.
    await appendEvent(db.pool, warning);
    await phase.run(phaseContext(db.pool, { now: later(16) }));
    expect(await count(db.pool, 'select 1 from atc.reactions')).toBe(2);
  });

  it('probabilities come from the seeded random: a roll above the probability queues nothing and keeps the cooldown free', async () => {
    const fill = {
      type: 'policy_changed' as const,
      agent: 'scout' as const,
      tags: ['trade', 'executed'],
      payload: { key: 'quotas' as const, version: 1, by: 'scout' },
    };
    await appendEvent(db.pool, fill);
    const phase = phaseNamed('process_reactions');
    // scout → growth fires with probability 0.3: a roll of 0.9 misses, 0.1 hits.
    await phase.run(phaseContext(db.pool, { now, random: () => 0.9 }));
    expect(await count(db.pool, 'select 1 from atc.reactions')).toBe(0);
    expect(await count(db.pool, 'select 1 from atc.reaction_cooldowns')).toBe(0);
    await appendEvent(db.pool, fill);
    await phase.run(phaseContext(db.pool, { now, random: () => 0.1 }));
    expect(await count(db.pool, `select 1 from atc.reactions where target_agent = 'growth'`)).toBe(1);
  });
});
