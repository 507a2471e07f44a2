/**
 * GET /api/pnl/equity against the real database: the curve starts from the fills before its window,
 * adds each day's realised P&L in the calendar's time zone, and counts the open positions' unrealised
 * P&L on the last day only; decimal strings throughout (no float rounding).
 * @module
 */
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, submitProposal } from '@atc/trading';
import { insertTestMarks, tradeProposal } from '@atc/trading/testing';
import { equityCurveRoute } from './positions.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');

describe('GET /api/pnl/equity', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, asOf);
    const { missionId } = await submitProposal(db.pool, tradeProposal(), { asOf });
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status)
       select s.id, 1, 'atc-equity-1', 'crypto', 'SOL', 'sell', 'market', 1, 'filled'
         from atc.steps s where s.mission_id = $1
       returning id`,
      [missionId],
    );
    // Before the window: 100.1; in it: 0.2 on the 3rd (New York), -0.3 and 10 (options) on the 4th.
    await db.pool.query(
      `insert into atc.fills (order_id, market, venue_fill_id, side, quantity, price, realised_pnl, filled_at)
       values ($1, 'crypto', 'e-0', 'sell', 1, 150, 100.1, '2031-01-10T15:00:00Z'),
              ($1, 'crypto', 'e-1', 'sell', 1, 150, 0.2, '2031-02-04T03:00:00Z'),
              ($1, 'crypto', 'e-2', 'sell', 1, 150, -0.3, '2031-02-04T14:00:00Z'),
              ($1, 'options', 'e-3', 'sell', 1, 0.5, 10, '2031-02-04T14:30:00Z')`,
      [rows[0]!.id],
    );
    // Open positions: one marked 2 × (21010.5 − 21000) × 2 (MNQ's multiplier) = 42 up, one not marked.
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, mark_price, marked_at)
       values ('futures', 'MNQ', 'long', 2, 21000, 2, 21010.5, $1),
              ('crypto', 'BONK', 'long', 1000, 0.00002, 1, null, null)`,
      [asOf],
    );
  });
  afterAll(() => db.drop());

  const context = () => apiContext(db.pool, { at: asOf, role: 'viewer' });

  it('starts from the realised P&L before the window and ends with today’s unrealised', async () => {
    const { body } = await callRoute(equityCurveRoute, { query: { days: '3' } }, context());
    expect(body).toEqual({
      timeZone: 'America/New_York',
      from: '2031-02-02',
      to: '2031-02-04',
      realisedBefore: '100.1',
      unrealisedPnl: '42',
      unmarkedPositions: 1,
      days: [
        { day: '2031-02-02', realisedPnl: '0', cumulativeRealisedPnl: '100.1', equity: '100.1' },
        { day: '2031-02-03', realisedPnl: '0.2', cumulativeRealisedPnl: '100.3', equity: '100.3' },
        { day: '2031-02-04', realisedPnl: '9.7', cumulativeRealisedPnl: '110', equity: '152' },
      ],
    });
  });

  it('narrows to one market, and answers 30 days by default', async () => {
    const crypto = await callRoute(equityCurveRoute, { query: { days: '2', market: 'crypto' } }, context());
    expect(crypto.body).toMatchObject({ realisedBefore: '100.1', unrealisedPnl: '0', unmarkedPositions: 1 });
    expect(crypto.body.days.map((day) => day.equity)).toEqual(['100.3', '100']);
    const month = await callRoute(equityCurveRoute, { query: {} }, context());
    expect(month.body).toMatchObject({ from: '2031-01-06', to: '2031-02-04', realisedBefore: '0' });
    expect(month.body.days).toHaveLength(30);
    expect(month.body.days.at(-1)?.equity).toBe('152');
  });

  it('refuses a window beyond 366 days', async () => {
    await expect(callRoute(equityCurveRoute, { query: { days: '367' } }, context())).rejects.toThrow();
  });
});
