/**
 * GET /api/prices/:market/:instrument against the real database: the window's samples oldest first,
 * only the instrument's and market's, the fills on the instrument, the default and widest windows.
 * @module
 */
import { MAX_PRICE_SAMPLES } from '@atc/contracts';
import { InputError } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, submitProposal } from '@atc/trading';
import { insertTestMarks, SOL_MINT, tradeProposal } from '@atc/trading/testing';
import { priceHistoryRoute } from './prices.routes';
import { apiContext, callRoute } from './testing/api-context.fixture';

const asOf = new Date('2031-03-10T15:00:00Z');
const minutesBefore = (minutes: number) => new Date(asOf.getTime() - minutes * 60_000);

describe('GET /api/prices/:market/:instrument', () => {
  let db: TestDatabase;
  let positionId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    // SOL at 150, 151, 152 over the last 20 minutes; one sample two days ago; the same symbol on another market.
    await insertTestMarks(db.pool, asOf); // USDC and SOL, so the fixture proposal is priced
    await insertTestMarks(db.pool, minutesBefore(2 * 24 * 60), { [SOL_MINT]: '140' });
    await insertTestMarks(db.pool, minutesBefore(20), { [SOL_MINT]: '150' });
    await insertTestMarks(db.pool, minutesBefore(10), { [SOL_MINT]: '151' });
    await insertTestMarks(db.pool, asOf, { [SOL_MINT]: '152' });
    await insertTestMarks(db.pool, asOf, { [SOL_MINT]: '9' }, 'futures');
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf });
    const { rows: steps } = await db.pool.query<{ id: string }>(
      'select id from atc.steps where mission_id = $1',
      [decision.missionId],
    );
    const { rows: positions } = await db.pool.query<{ id: string }>(
      `insert into atc.positions (market, symbol, side, quantity, average_price)
       values ('crypto', $1, 'long', 0.1, 150) returning id`,
      [SOL_MINT],
    );
    positionId = positions[0]!.id;
    const { rows: orders } = await db.pool.query<{ id: string; symbol: string }>(
      `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status)
       values ($1, 1, 'atc-price-1', 'crypto', $2, 'buy', 'market', 0.2, 'filled'),
              ($1, 2, 'atc-price-2', 'crypto', 'OTHER', 'buy', 'market', 1, 'filled')
       returning id, symbol`,
      [steps[0]!.id, SOL_MINT],
    );
    const sol = orders.find((o) => o.symbol === SOL_MINT)!.id;
    const other = orders.find((o) => o.symbol === 'OTHER')!.id;
    await db.pool.query(
      `insert into atc.fills (order_id, position_id, market, venue_fill_id, side, quantity, price, filled_at)
       values ($1, $3, 'crypto', 'pf-1', 'buy', 0.2, 150.5, $4),
              ($1, $3, 'crypto', 'pf-2', 'sell', 0.1, 151.5, $5),
              ($2, null, 'crypto', 'pf-3', 'buy', 1, 3, $5)`,
      [sol, other, positionId, minutesBefore(15), minutesBefore(5)],
    );
  });
  afterAll(() => db.drop());

  const context = () => apiContext(db.pool, { at: asOf, role: 'viewer' });
  const history = (query: Record<string, string> = {}, instrument = SOL_MINT, market = 'crypto') =>
    callRoute(priceHistoryRoute, { params: { market, instrument }, query }, context());

  it('answers the last 24 hours by default: samples oldest first, the fills on the instrument', async () => {
    const { body } = await history();
    expect(body).toMatchObject({
      market: 'crypto',
      instrument: SOL_MINT,
      from: '2031-03-09T15:00:00.000Z',
      to: asOf.toISOString(),
      truncated: false,
    });
    expect(body.samples).toEqual([
      { at: minutesBefore(20).toISOString(), price: '150' },
      { at: minutesBefore(10).toISOString(), price: '151' },
      { at: asOf.toISOString(), price: '152' },
    ]);
    expect(body.fills).toEqual([
      expect.objectContaining({ positionId, clientOrderId: 'atc-price-1', side: 'buy', price: '150.5' }),
      expect.objectContaining({ positionId, clientOrderId: 'atc-price-1', side: 'sell', quantity: '0.1' }),
    ]);
  });

  it('reads the window asked for, and only the market asked for', async () => {
    const { body } = await history({
      from: minutesBefore(12).toISOString(),
      to: minutesBefore(1).toISOString(),
    });
    expect(body.samples.map((s) => s.price)).toEqual(['151']);
    expect(body.fills.map((f) => f.side)).toEqual(['sell']);
    const futures = await history({}, SOL_MINT, 'futures');
    expect(futures.body.samples.map((s) => s.price)).toEqual(['9']);
    expect(futures.body.fills).toEqual([]);
    expect((await history({}, 'NOTHING')).body).toMatchObject({ samples: [], fills: [] });
  });

  it('answers at most MAX_PRICE_SAMPLES samples, the latest, and says it left older ones out', async () => {
    // One sample a second for the MAX_PRICE_SAMPLES + 1 seconds up to asOf.
    await db.pool.query(
      `insert into atc.price_samples (market, instrument, last, sampled_at)
       select 'crypto', 'DENSE', 100 + n, $1::timestamptz - make_interval(secs => n)
         from generate_series(0, $2::int) as n`,
      [asOf, MAX_PRICE_SAMPLES],
    );
    const { body } = await history({}, 'DENSE');
    expect(body.truncated).toBe(true);
    expect(body.samples).toHaveLength(MAX_PRICE_SAMPLES);
    expect(body.samples.at(-1)).toEqual({ at: asOf.toISOString(), price: '100' });
    expect(body.samples[0]!.price).toBe(String(100 + MAX_PRICE_SAMPLES - 1));
    const fewer = await history({ from: new Date(asOf.getTime() - 9_000).toISOString() }, 'DENSE');
    expect(fewer.body).toMatchObject({ truncated: false });
    expect(fewer.body.samples).toHaveLength(10);
  });

  it('refuses an inverted or too wide window, and a malformed instrument', async () => {
    await expect(
      history({ from: asOf.toISOString(), to: minutesBefore(1).toISOString() }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      history({ from: minutesBefore(32 * 24 * 60).toISOString(), to: asOf.toISOString() }),
    ).rejects.toThrow(/at most 31 days/);
    await expect(history({}, 'SOL/USD')).rejects.toThrow();
  });
});
