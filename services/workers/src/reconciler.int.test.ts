import { systemClock } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, createTradeStepExecutor, reconcile } from '@atc/trading';
import { claimSteps, type ClaimedStep } from '@atc/queue';
import { insertQueuedSteps, SOL_MINT } from '@atc/trading/testing';
import { buySolStep, executeAndSettle } from './testing/trade-steps.fixture';
import { TestVenue } from '@atc/venues/testing';

const SOL = SOL_MINT;
const buySol = buySolStep('30');

describe('reconciler (real PostgreSQL, journaling test venue)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.fills, atc.outcomes, atc.positions, atc.orders, atc.steps, atc.missions, atc.proposals, atc.events cascade',
    );
  });

  async function executeWith(venue: TestVenue, count = 1): Promise<ClaimedStep[]> {
    await insertQueuedSteps(db.pool, { market: 'crypto', count, payload: () => buySol });
    const steps = await claimSteps(db.pool, {
      market: 'crypto',
      workerId: 'w',
      limit: count,
      leaseMs: 30_000,
      kinds: ['execute_trade'],
    });
    const executor = createTradeStepExecutor({
      clock: systemClock,
      pool: db.pool,
      venue,
      actor: 'w',
      settleWaitMs: 0,
    });
    for (const step of steps) await executeAndSettle(db.pool, executor, step, 'w');
    return steps;
  }

  const statuses = async () =>
    (await db.pool.query<{ status: string }>('select status from atc.steps order by seq')).rows.map(
      (r) => r.status,
    );

  it('settles a resting order that filled later: fills applied once, step succeeded, ledger equals venue', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' }, fillImmediately: false });
    await executeWith(venue);
    expect(await statuses()).toEqual(['needs_reconciliation']);
    venue.fillResting();
    const report = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'reconciler',
      logger: silentLogger(),
    });
    expect(report).toMatchObject({ examined: 1, succeeded: 1, failed: 0, stillUnknown: 0, drift: [] });
    expect(await statuses()).toEqual(['succeeded']);
    // A second run finds nothing to do and applies nothing twice.
    const again = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'reconciler',
      logger: silentLogger(),
    });
    expect(again).toMatchObject({ examined: 0, drift: [] });
    const fills = await db.pool.query('select count(*)::int as n from atc.fills');
    expect(fills.rows[0]).toEqual({ n: 1 });
    expect(venue.journal).toHaveLength(1);
  });

  it('fails a step whose order the venue never received — once the order is old enough — and gives its slot back', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    venue.failNext('before_accept');
    const [step] = await executeWith(venue);
    expect(await statuses()).toEqual(['needs_reconciliation']);
    await db.pool.query(
      `update atc.proposals set trade_slots = 1, slots_day = current_date where id = (select proposal_id from atc.missions limit 1)`,
    );
    await db.pool.query(
      `insert into atc.counters (name, trading_day, value) values ('trades', current_date, 1)
       on conflict (name, trading_day) do update set value = 1`,
    );
    const young = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'r',
      logger: silentLogger(),
    });
    expect(young).toMatchObject({ failed: 0, stillUnknown: 1 });
    expect(await statuses()).toEqual(['needs_reconciliation']);
    const report = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'reconciler',
      logger: silentLogger(),
      absentAfterMs: 0,
    });
    expect(report).toMatchObject({ failed: 1, stillUnknown: 0 });
    expect(await statuses()).toEqual(['failed']);
    const order = await db.pool.query<{ status: string }>(
      'select status from atc.orders where step_id = $1',
      [step!.id],
    );
    expect(order.rows[0]!.status).toBe('rejected');
    const counter = await db.pool.query<{ value: number }>(
      `select value from atc.counters where name = 'trades'`,
    );
    expect(counter.rows[0]!.value).toBe(0);
  });

  it('leaves a step it cannot settle, reporting how long it has waited', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    venue.failNext('before_accept');
    venue.lookupOrder = () => Promise.resolve({ state: 'unknown', reason: 'no status API' });
    await executeWith(venue);
    const report = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'reconciler',
      logger: silentLogger(),
    });
    expect(report).toMatchObject({ examined: 1, stillUnknown: 1, succeeded: 0, failed: 0 });
    expect(report.oldestUnknownSeconds).toBeGreaterThanOrEqual(0);
    expect(await statuses()).toEqual(['needs_reconciliation']);
  });

  it('reports position drift as an event and never overwrites the ledger', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    await executeWith(venue);
    const ledgerBefore = await db.pool.query('select quantity::text from atc.positions');
    venue.getPositions = () => Promise.resolve([{ instrument: SOL, quantity: '0.5' }]);
    const report = await reconcile({
      clock: systemClock,
      pool: db.pool,
      venues: { crypto: venue },
      actor: 'reconciler',
      logger: silentLogger(),
    });
    expect(report.drift).toEqual([
      { market: 'crypto', venue: venue.name, symbol: SOL, ledgerQuantity: '0.3', venueQuantity: '0.5' },
    ]);
    const events = await db.pool.query(
      `select payload from atc.events where type = 'position_drift_detected'`,
    );
    expect(events.rowCount).toBe(1);
    expect((await db.pool.query('select quantity::text from atc.positions')).rows).toEqual(ledgerBefore.rows);
  });
});
