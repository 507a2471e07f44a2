import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { ProposalInput } from '@atc/contracts';
import { submitProposal, applySeeds } from '@atc/trading';
import { insertTestMarks, SOL_MINT, USDC_MINT, tunePolicy } from '@atc/trading/testing';
import { insertPriceSamples } from './price-samples.queries';
import { FakeMarketData, phaseContext } from './testing/phase-context.fixture';
import { count, phaseNamed } from './testing/state.fixture';

const start = new Date('2031-03-04T15:00:00Z');
const at = (run: number) => new Date(start.getTime() + run * 30_000);

function entry(overrides: { stopLoss?: string; notionalUsd?: string } = {}): ProposalInput {
  const trade = {
    market: 'crypto' as const,
    inputMint: USDC_MINT,
    outputMint: SOL_MINT,
    side: 'buy' as const,
    amount: overrides.notionalUsd ?? '50',
    notionalUsd: overrides.notionalUsd ?? '50',
    referencePrice: '100',
    takeProfit: '104',
    ...(overrides.stopLoss === undefined
      ? { stopLoss: '98' }
      : overrides.stopLoss
        ? { stopLoss: overrides.stopLoss }
        : {}),
  };
  return {
    source: 'agent',
    sourceTraceId: `review-${Math.random().toString(36).slice(2)}`,
    agent: 'intel',
    title: 'Long SOL',
    confidence: 0.7,
    steps: [{ kind: 'execute_trade', market: 'crypto', trade }],
  };
}

describe("intel's scan and the trade review", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, start, { [USDC_MINT]: '1', [SOL_MINT]: '100' });
  });
  afterEach(() => db.drop());

  it('the review approves a sound trade through the hash-bound approval, recording every vote', async () => {
    const submitted = await submitProposal(db.pool, entry(), { asOf: start });
    expect(submitted.status).toBe('awaiting_approval');
    const feed = new FakeMarketData().set('crypto', SOL_MINT, '100.5');
    const result = await phaseNamed('trade_reviews').run(
      phaseContext(db.pool, { now: start, marketData: feed }),
    );
    expect(result.summary).toEqual({ reviewed: 1, approved: 1, rejected: 0 });
    const { rows } = await db.pool.query<{
      decided_by: string;
      transcript: { speaker: string; vote: string }[];
    }>(
      `select c.format, c.transcript, c.outcome->>'decision' as decision, p.status, p.decided_by, m.id is not null as mission
         from atc.conversations c join atc.proposals p on p.id = c.proposal_id left join atc.missions m on m.proposal_id = p.id`,
    );
    expect(rows[0]).toMatchObject({
      format: 'trade_review',
      decision: 'approve',
      status: 'approved',
      mission: true,
    });
    expect(rows[0]!.decided_by).toMatch(/^trade_review:/);
    expect(rows[0]!.transcript.map((v) => `${v.speaker}:${v.vote}`)).toEqual([
      'sage:approve',
      'scout:approve',
      'growth:abstain',
      'observer:approve',
      'atlas:approve',
    ]);
    expect(await count(db.pool, `select 1 from atc.events where type = 'trade_review_vote'`)).toBe(5);
    expect(await count(db.pool, `select 1 from atc.audit_log where actor like 'trade_review:%'`)).toBe(1);
    // Run again: nothing is awaiting, nothing is reviewed twice.
    const again = await phaseNamed('trade_reviews').run(
      phaseContext(db.pool, { now: start, marketData: feed }),
    );
    expect(again.summary).toMatchObject({ reviewed: 0 });
  });

  it('sage vetoes a trade without a stop-loss; the rejection carries the votes', async () => {
    await tunePolicy(db.pool, 'risk_controls', { stopLossRequired: false });
    const submitted = await submitProposal(db.pool, entry({ stopLoss: '' }), { asOf: start });
    expect(submitted.status).toBe('awaiting_approval');
    const feed = new FakeMarketData().set('crypto', SOL_MINT, '100');
    await phaseNamed('trade_reviews').run(phaseContext(db.pool, { now: start, marketData: feed }));
    const { rows } = await db.pool.query<{ reason_message: string; sage: unknown }>(
      `select p.status, p.reason_code, p.reason_message, c.transcript->0 as sage
         from atc.proposals p join atc.conversations c on c.proposal_id = p.id`,
    );
    expect(rows[0]).toMatchObject({ status: 'rejected', reason_code: 'approver_rejected' });
    expect(rows[0]!.reason_message).toMatch(/sage vetoed: no stop-loss/);
    expect(rows[0]!.sage).toMatchObject({ speaker: 'sage', vote: 'reject' });
  });

  it('signal → proposal → review → mission: a rising market makes intel propose entries in all three markets', async () => {
    const feed = new FakeMarketData();
    feed.optionAsk = (symbol) => (symbol.includes('C') ? '0.45' : undefined);
    const phase = phaseNamed('evaluate_triggers');
    for (let run = 0; run < 5; run++) {
      const step = (base: number, pct: number) => (base * (1 + (pct * run) / 100)).toFixed(2);
      feed
        .set('crypto', SOL_MINT, step(150, 0.2))
        .set('options', 'SPY', step(600, 0.1))
        .set('futures', 'MES', step(6000, 0.1));
      await phase.run(phaseContext(db.pool, { now: at(run), marketData: feed }));
    }
    const { rows } = await db.pool.query<{ market: string; status: string; trade: Record<string, unknown> }>(
      `select content->'steps'->0->>'market' as market, status, content->'steps'->0->'trade' as trade
         from atc.proposals where agent = 'intel' and source = 'agent' order by market`,
    );
    expect(rows.map((r) => [r.market, r.status])).toEqual([
      ['crypto', 'approved'],
      ['futures', 'approved'],
      ['options', 'awaiting_approval'],
    ]);
    for (const row of rows) expect(row.trade.stopLoss).toBeDefined();
    expect(rows[1]!.trade).toMatchObject({ side: 'buy', rootSymbol: 'MES', contracts: 1 });
    expect(Number(rows[1]!.trade.notionalUsd)).toBeLessThanOrEqual(15);
    expect(await count(db.pool, `select 1 from atc.events where type = 'signal_detected'`)).toBe(3);
    // The options entry (45 USD, over the auto-approval size) goes to the review, which approves it.
    const occ = String(rows[2]!.trade.occSymbol);
    feed.set('options', occ, '0.46');
    await phaseNamed('trade_reviews').run(phaseContext(db.pool, { now: at(6), marketData: feed }));
    const mission = await db.pool.query(
      `select s.kind, s.market from atc.proposals p join atc.missions m on m.proposal_id = p.id
         join atc.steps s on s.mission_id = m.id where p.content->'steps'->0->>'market' = 'options'`,
    );
    expect(mission.rows).toEqual([{ kind: 'execute_trade', market: 'options' }]);
    // A further run within the scan's interval proposes nothing new.
    await phase.run(phaseContext(db.pool, { now: at(7), marketData: feed }));
    expect(
      await count(db.pool, `select 1 from atc.proposals where agent = 'intel' and source = 'agent'`),
    ).toBe(3);
  });
  it('a closed market is reported closed, never sampled or traded: on a Saturday only crypto trades', async () => {
    const saturday = new Date('2031-03-08T15:00:00Z');
    const feed = new FakeMarketData();
    feed.optionAsk = () => '0.45';
    const phase = phaseNamed('evaluate_triggers');
    let summary: Record<string, unknown> = {};
    for (let run = 0; run < 5; run++) {
      const step = (base: number, pct: number) => (base * (1 + (pct * run) / 100)).toFixed(2);
      feed
        .set('crypto', SOL_MINT, step(150, 0.2))
        .set('options', 'SPY', step(600, 0.1))
        .set('futures', 'MES', step(6000, 0.1));
      const now = new Date(saturday.getTime() + run * 30_000);
      ({ summary } = await phase.run(phaseContext(db.pool, { now, marketData: feed })));
    }
    expect(summary.closedMarkets).toBe('options: closed (weekend), futures: closed (weekend)');
    expect(feed.calls.filter((call) => !call.startsWith('crypto:'))).toEqual([]);
    const { rows } = await db.pool.query<{ market: string }>(
      `select content->'steps'->0->>'market' as market from atc.proposals where agent = 'intel' and source = 'agent'`,
    );
    expect(rows.map((r) => r.market)).toEqual(['crypto']);
  });

  it('samples from before the close never make an entry once the market has closed', async () => {
    // A rising SPY sampled 15:50–15:54 New York (a signal), and the scan due at 16:05, after the close.
    const close = Date.parse('2031-03-04T21:00:00Z');
    for (let i = 0; i < 5; i++) {
      const sample = {
        market: 'options' as const,
        instrument: 'SPY',
        last: (600 * (1 + i / 500)).toFixed(2),
        volume: null,
      };
      await insertPriceSamples(db.pool, [sample], new Date(close + (i - 10) * 60_000));
    }
    const feed = new FakeMarketData();
    feed.optionAsk = () => '0.45';
    const { summary } = await phaseNamed('evaluate_triggers').run(
      phaseContext(db.pool, { now: new Date(close + 5 * 60_000), marketData: feed }),
    );
    expect(summary).toMatchObject({ closedMarkets: 'options: closed (after close)', signalProposals: 0 });
    expect(
      await count(db.pool, `select 1 from atc.proposals where agent = 'intel' and source = 'agent'`),
    ).toBe(0);
  });
});
