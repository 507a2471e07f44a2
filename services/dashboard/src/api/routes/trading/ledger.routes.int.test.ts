/**
 * The status, mission, order, position and daily P&L routes against the real database: each answer
 * parses with its route's response schema, lists page and filter, an unknown id is a NotFoundError.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { claimSteps } from '@atc/queue';
import { applySeeds, readCompanyStatus, submitProposal } from '@atc/trading';
import { insertTestMarks, tradeProposal } from '@atc/trading/testing';
import { getMissionRoute, listMissionsRoute } from './missions.routes';
import { explainOrderRoute, getOrderRoute, listOrdersRoute } from './orders.routes';
import { dailyPnlRoute, listPositionsRoute } from './positions.routes';
import { statusRoute } from './status.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');

describe('status, mission, order, position and P&L routes', () => {
  let db: TestDatabase;
  let missionId: string;
  let stepId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, asOf);
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf });
    missionId = decision.missionId!;
    const { rows } = await db.pool.query<{ id: string }>('select id from atc.steps where mission_id = $1', [
      missionId,
    ]);
    stepId = rows[0]!.id;
  });
  afterAll(() => db.drop());

  const context = () => apiContext(db.pool, { at: asOf, role: 'viewer' });

  it('missions: listed and filtered by market and status, one with its steps; unknown → 404', async () => {
    const list = async (query: Record<string, string>) =>
      (await callRoute(listMissionsRoute, { query }, context())).body.items.map((m) => m.id);
    expect(await list({})).toEqual([missionId]);
    expect(await list({ market: 'crypto', status: 'queued' })).toEqual([missionId]);
    expect(await list({ market: 'futures' })).toEqual([]);
    expect(await list({ status: 'failed' })).toEqual([]);
    const { body } = await callRoute(getMissionRoute, { params: { id: missionId } }, context());
    expect(body).toMatchObject({ id: missionId, markets: ['crypto'], status: 'queued' });
    expect(body.steps).toEqual([
      expect.objectContaining({
        id: stepId,
        kind: 'execute_trade',
        attempt: 0,
        leaseOwner: null,
        lastError: null,
      }),
    ]);
    await expect(
      callRoute(getMissionRoute, { params: { id: randomUUID() } }, context()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('GET /api/status answers the figures of atc status, as of the request clock', async () => {
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, mark_price, marked_at)
       values ('futures', 'MNQ', 'long', 2, 21000, 21010.5, $1)`,
      [asOf],
    );
    // A worker at work: it holds the lease of the mission's step.
    await claimSteps(db.pool, {
      market: 'crypto',
      workerId: 'w-status',
      limit: 1,
      leaseMs: 60_000,
      kinds: ['execute_trade'],
    });
    try {
      const { body } = await callRoute(statusRoute, {}, context());
      const { workers, ...figures } = body;
      expect(figures).toEqual(JSON.parse(JSON.stringify(await readCompanyStatus(db.pool, asOf))));
      expect(body.asOf).toBe(asOf.toISOString());
      expect(body.positions).toEqual([
        expect.objectContaining({ symbol: 'MNQ', quantity: '2', markPrice: '21010.5', unrealisedPnl: '21' }),
      ]);
      expect(body.queue).toEqual([{ market: 'crypto', status: 'running', count: 1 }]);
      expect(workers).toEqual([
        { worker: 'w-status', markets: ['crypto'], steps: 1, leaseExpiresAt: expect.any(String) as unknown },
      ]);
    } finally {
      await db.pool.query(`delete from atc.positions where symbol = 'MNQ'`);
    }
  });

  it('orders: paged and filtered, one with its fills; unknown → 404', async () => {
    const { rows } = await db.pool.query<{ id: string; client_order_id: string }>(
      `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status)
       select $1::uuid, n, 'atc-test-' || n, 'crypto', 'SOL', 'buy', 'market', 0.5,
              case when n = 1 then 'filled' else 'rejected' end
         from generate_series(1, 3) as n
       returning id, client_order_id`,
      [stepId],
    );
    const filled = rows.find((row) => row.client_order_id === 'atc-test-1')!;
    await db.pool.query(
      `insert into atc.fills (order_id, market, venue_fill_id, side, quantity, price, realised_pnl, filled_at)
       values ($1, 'crypto', 'f-1', 'buy', 0.5, 150.25, 0, $2)`,
      [filled.id, asOf],
    );
    const first = await callRoute(listOrdersRoute, { query: { limit: '2' } }, context());
    expect(first.body.items).toHaveLength(2);
    const second = await callRoute(
      listOrdersRoute,
      { query: { limit: '2', cursor: first.body.nextCursor } },
      context(),
    );
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(new Set([...first.body.items, ...second.body.items].map((o) => o.clientOrderId))).toEqual(
      new Set(['atc-test-1', 'atc-test-2', 'atc-test-3']),
    );
    const rejected = await callRoute(listOrdersRoute, { query: { status: 'rejected' } }, context());
    expect(rejected.body.items.map((o) => o.clientOrderId).sort()).toEqual(['atc-test-2', 'atc-test-3']);
    expect(
      (await callRoute(listOrdersRoute, { query: { market: 'options' } }, context())).body.items,
    ).toEqual([]);
    const one = await callRoute(getOrderRoute, { params: { clientOrderId: 'atc-test-1' } }, context());
    expect(one.body).toMatchObject({ status: 'filled', quantity: '0.5' });
    expect(one.body.fills).toEqual([expect.objectContaining({ price: '150.25', venueFillId: 'f-1' })]);
    for (const route of [getOrderRoute, explainOrderRoute]) {
      await expect(
        callRoute(route, { params: { clientOrderId: 'atc-nothing-1' } }, context()),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('positions: open by default, closed on request', async () => {
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, status, closed_at, realised_pnl)
       values ('options', 'SPY310221C00500000', 'long', 0, 0.45, 'closed', $1, 12.5),
              ('crypto', 'SOL', 'long', 1, 150, 'open', null, 0)`,
      [asOf],
    );
    const open = await callRoute(listPositionsRoute, { query: {} }, context());
    expect(open.body.items.map((p) => p.symbol)).toEqual(['SOL']);
    const closed = await callRoute(listPositionsRoute, { query: { state: 'closed' } }, context());
    expect(closed.body.items).toEqual([
      expect.objectContaining({ market: 'options', status: 'closed', realisedPnl: '12.5' }),
    ]);
  });

  it("GET /api/pnl/daily sums realised P&L a day in the calendar's time zone, every day present", async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `select id from atc.orders where client_order_id = 'atc-test-1'`,
    );
    // 03:00 UTC on the 4th is still the 3rd in New York; 15:00 UTC is the 4th.
    await db.pool.query(
      `insert into atc.fills (order_id, market, venue_fill_id, side, quantity, price, realised_pnl, filled_at)
       values ($1, 'crypto', 'p-1', 'sell', 0.1, 150, 2.5, '2031-02-04T03:00:00Z'),
              ($1, 'crypto', 'p-2', 'sell', 0.1, 150, -1.25, '2031-02-04T15:00:00Z'),
              ($1, 'options', 'p-3', 'sell', 1, 0.5, 5, '2031-02-04T16:00:00Z')`,
      [rows[0]!.id],
    );
    const { body } = await callRoute(
      dailyPnlRoute,
      { query: { from: '2031-02-02', to: '2031-02-04' } },
      context(),
    );
    expect(body).toEqual({
      timeZone: 'America/New_York',
      from: '2031-02-02',
      to: '2031-02-04',
      days: [
        { day: '2031-02-02', realisedPnl: '0', byMarket: {} },
        { day: '2031-02-03', realisedPnl: '2.5', byMarket: { crypto: '2.5' } },
        { day: '2031-02-04', realisedPnl: '3.75', byMarket: { crypto: '-1.25', options: '5' } },
      ],
    });
    const fallback = await callRoute(dailyPnlRoute, { query: {} }, context());
    expect(fallback.body).toMatchObject({ from: '2031-01-06', to: '2031-02-04' });
    expect(fallback.body.days).toHaveLength(30);
    await expect(
      callRoute(dailyPnlRoute, { query: { from: '2031-02-05', to: '2031-02-04' } }, context()),
    ).rejects.toThrow(/^from: must be on or before to/);
  });
});
