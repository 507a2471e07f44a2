import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { submitProposal, applySeeds } from '@atc/trading';
import { tripLossLatch, tradeProposal, tunePolicy, SOL_MINT, insertTestMarks } from '@atc/trading/testing';
import { FakeMarketData, phaseContext } from './testing/phase-context.fixture';
import { count, openPosition, phaseNamed } from './testing/state.fixture';

const now = new Date('2031-03-04T15:00:00Z');

describe('mark_to_market and position management', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, now);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.steps, atc.missions, atc.proposals, atc.positions, atc.counters cascade',
    );
    await tunePolicy(db.pool, 'trade_limits', {});
  });

  it('stores marks and unrealised P&L, one quote per instrument, and adopts a default stop', async () => {
    const id = await openPosition(db.pool, { symbol: SOL_MINT, quantity: '2', averagePrice: '100' });
    const feed = new FakeMarketData().set('crypto', SOL_MINT, '101.5');
    const result = await phaseNamed('mark_to_market').run(phaseContext(db.pool, { now, marketData: feed }));
    expect(result.summary).toMatchObject({ quoted: 1, marked: 1, closesProposed: 0 });
    const { rows } = await db.pool.query(
      'select mark_price::text, unrealised_pnl::text, stop_loss::text, high_water_price::text, marked_at from atc.positions where id = $1',
      [id],
    );
    // The default stop is 30 % below the average price (risk_controls.defaultStopLossFraction).
    expect(rows[0]).toEqual({
      mark_price: '101.5',
      unrealised_pnl: '3.0',
      stop_loss: '70.0',
      high_water_price: '101.5',
      marked_at: now,
    });
    expect(feed.calls).toEqual([`crypto:${SOL_MINT}`]);
  });

  it('a stop-loss hit proposes a close once, which the policy auto-approves into a mission', async () => {
    const id = await openPosition(db.pool, {
      symbol: SOL_MINT,
      averagePrice: '100',
      stopLoss: '95',
      takeProfit: '120',
    });
    const feed = new FakeMarketData().set('crypto', SOL_MINT, '94');
    const phase = phaseNamed('mark_to_market');
    await phase.run(phaseContext(db.pool, { now, marketData: feed }));
    const again = await phase.run(phaseContext(db.pool, { now, marketData: feed }));
    expect(again.summary).toMatchObject({ exits: 1, closesProposed: 0 });
    const { rows } = await db.pool.query(
      `select p.status, p.agent, p.source_trace_id, s.kind, s.market, s.payload->>'reason' as reason
         from atc.proposals p join atc.missions m on m.proposal_id = p.id join atc.steps s on s.mission_id = m.id`,
    );
    expect(rows).toEqual([
      {
        status: 'approved',
        agent: 'sage',
        source_trace_id: `close:${id}:stop_loss`,
        kind: 'close_position',
        market: 'crypto',
        reason: 'stop_loss',
      },
    ]);
    expect(await count(db.pool, `select 1 from atc.events where type = 'position_exit_triggered'`)).toBe(1);
  });

  it('take-profit and the trailing stop close a short and a long', async () => {
    await openPosition(db.pool, {
      market: 'futures',
      symbol: 'MES',
      side: 'short',
      averagePrice: '6000',
      stopLoss: '6010',
      takeProfit: '5990',
    });
    await openPosition(db.pool, { symbol: SOL_MINT, averagePrice: '100', stopLoss: '90' });
    const feed = new FakeMarketData().set('futures', 'MES', '5989.75').set('crypto', SOL_MINT, '110');
    await phaseNamed('mark_to_market').run(phaseContext(db.pool, { now, marketData: feed }));
    // SOL made a new high at 110; a fall of 5 % from it trips the trailing stop.
    feed.set('crypto', SOL_MINT, '104.4');
    await phaseNamed('mark_to_market').run(
      phaseContext(db.pool, { now: new Date(now.getTime() + 30_000), marketData: feed }),
    );
    const { rows } = await db.pool.query<{ reason: string }>(
      `select s.payload->>'reason' as reason from atc.steps s order by reason`,
    );
    expect(rows.map((r) => r.reason)).toEqual(['take_profit', 'trailing_stop']);
  });

  it('the tripped daily-loss latch blocks entries but lets the stop-loss close through', async () => {
    await openPosition(db.pool, { symbol: SOL_MINT, averagePrice: '100', stopLoss: '95' });
    await tripLossLatch(db.pool, {
      trippedAt: now.toISOString(),
      tradingDay: '2031-03-04',
      realisedPnlUsd: '-70',
    });
    try {
      const entry = await submitProposal(db.pool, tradeProposal(), { asOf: now });
      expect(entry).toMatchObject({ status: 'rejected', reasonCode: 'daily_loss_latched' });
      const feed = new FakeMarketData().set('crypto', SOL_MINT, '94');
      await phaseNamed('mark_to_market').run(phaseContext(db.pool, { now, marketData: feed }));
      expect(
        await count(
          db.pool,
          `select 1 from atc.proposals where status = 'approved' and source_trace_id like 'close:%'`,
        ),
      ).toBe(1);
    } finally {
      await db.pool.query(
        `update atc.policies set value = jsonb_set(value, '{lossLatch}', 'null') where key = 'halts'`,
      );
    }
  });

  it('a quote that fails leaves the position unmarked and the phase going', async () => {
    await openPosition(db.pool, { symbol: SOL_MINT, averagePrice: '100' });
    const result = await phaseNamed('mark_to_market').run(
      phaseContext(db.pool, { now, marketData: new FakeMarketData() }),
    );
    expect(result.summary).toMatchObject({ quoteFailures: 1, marked: 0 });
  });
  it('a stop hit while its market is closed waits for the session; crypto closes at once', async () => {
    await openPosition(db.pool, { market: 'futures', symbol: 'MES', averagePrice: '6000', stopLoss: '5990' });
    await openPosition(db.pool, { symbol: SOL_MINT, averagePrice: '100', stopLoss: '95' });
    const feed = new FakeMarketData().set('futures', 'MES', '5980').set('crypto', SOL_MINT, '94');
    const saturday = new Date('2031-03-08T15:00:00Z');
    const closed = await phaseNamed('mark_to_market').run(
      phaseContext(db.pool, { now: saturday, marketData: feed }),
    );
    expect(closed.summary).toMatchObject({ exits: 1, exitsWaitingForOpen: 1, closesProposed: 1 });
    // Sunday 18:00 New York: Globex is open again and the futures stop is acted on.
    const sundayEvening = new Date('2031-03-09T22:30:00Z');
    const open = await phaseNamed('mark_to_market').run(
      phaseContext(db.pool, { now: sundayEvening, marketData: feed }),
    );
    expect(open.summary).toMatchObject({ exits: 2, exitsWaitingForOpen: 0, closesProposed: 1 });
    const { rows } = await db.pool.query<{ market: string }>(
      `select s.market from atc.steps s where s.kind = 'close_position' order by s.market`,
    );
    expect(rows.map((r) => r.market)).toEqual(['crypto', 'futures']);
  });
});
