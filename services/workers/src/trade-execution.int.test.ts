import { systemClock } from '@atc/contracts';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { Registry } from '@atc/platform';
import {
  applySeeds,
  createTradeExecutionCounter,
  createTradeStepExecutor,
  engageKillSwitch,
  releaseKillSwitch,
} from '@atc/trading';
import { claimSteps, type ClaimedStep } from '@atc/queue';
import { insertQueuedSteps, SOL_MINT } from '@atc/trading/testing';
import { recordedStepChanges, unaccountedStepChanges } from '@atc/queue/testing';
import { buySolStep, executeAndSettle } from './testing/trade-steps.fixture';
import { TestVenue, type TestVenueFailurePoint } from '@atc/venues/testing';

const SOL = SOL_MINT;
const buySol = buySolStep('50');

describe('two-phase trade execution against the journaling test venue', () => {
  let db: TestDatabase;
  const executions = createTradeExecutionCounter(new Registry());
  /** atc_trade_executions_total{market="crypto"} by result, as the worker's registry would export it. */
  const counted = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await executions.get()).values
        .filter((v) => v.labels.market === 'crypto' && v.value > 0)
        .map((v): [string, number] => [String(v.labels.result), v.value]),
    );
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    executions.reset();
    await db.pool.query(
      'truncate atc.fills, atc.outcomes, atc.positions, atc.orders, atc.steps, atc.missions, atc.proposals cascade',
    );
  });

  async function claimOne(): Promise<ClaimedStep> {
    await insertQueuedSteps(db.pool, { market: 'crypto', count: 1, payload: () => buySol });
    const [step] = await claimSteps(db.pool, {
      market: 'crypto',
      workerId: 'w1',
      limit: 1,
      leaseMs: 30_000,
      kinds: ['execute_trade', 'close_position'],
    });
    return step!;
  }

  async function run(venue: TestVenue, step: ClaimedStep): Promise<string> {
    const executor = createTradeStepExecutor({
      clock: systemClock,
      pool: db.pool,
      venue,
      actor: 'test-worker',
      settleWaitMs: 50,
      settlePollMs: 10,
      executions,
    });
    return executeAndSettle(db.pool, executor, step, 'w1');
  }

  const stepRow = async (id: string) =>
    (await db.pool.query<{ status: string }>('select status from atc.steps where id = $1', [id])).rows[0]!
      .status;
  const orders = async () =>
    (
      await db.pool.query<{ client_order_id: string; status: string; filled_quantity: string }>(
        'select client_order_id, status, filled_quantity::text from atc.orders order by created_at',
      )
    ).rows;
  const position = async () =>
    (
      await db.pool.query<{ side: string; quantity: string; status: string }>(
        `select side, quantity::text, status from atc.positions where market = 'crypto' and symbol = $1`,
        [SOL],
      )
    ).rows;

  it('commits the intent, sends once, and records order, fill, position and success', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    const step = await claimOne();
    expect(await run(venue, step)).toBe('succeeded');
    expect(venue.journal).toHaveLength(1);
    const [order] = await orders();
    expect(order).toMatchObject({
      client_order_id: `atc-${step.id}-1`,
      status: 'filled',
      filled_quantity: '0.5',
    });
    expect(await position()).toEqual([{ side: 'long', quantity: '0.5', status: 'open' }]);
    expect(await counted()).toEqual({ filled: 1 });
    const events = await db.pool.query<{ type: string }>(
      `select type from atc.events where type in ('order_created', 'fill_recorded', 'position_changed', 'steps_status_changed')`,
    );
    expect(new Set(events.rows.map((e) => e.type))).toEqual(
      new Set(['order_created', 'fill_recorded', 'position_changed', 'steps_status_changed']),
    );
    // Trade execution's own transitions, committed with its intent and its fills, are recorded once each.
    expect(
      (await recordedStepChanges(db.pool))
        .filter((c) => c.stepId === step.id)
        .map((c) => `${c.from}→${c.to}`),
    ).toEqual(['queued→running', 'running→executing', 'executing→succeeded']);
    expect(await unaccountedStepChanges(db.pool)).toEqual([]);
  });

  it('a halt committed between claim and the executing transaction results in zero venue calls', async () => {
    const venue = new TestVenue({ market: 'crypto' });
    const step = await claimOne();
    await engageKillSwitch(db.pool, { reason: 'operator drill', by: 'test' });
    try {
      expect(await run(venue, step)).toBe('cancelled');
      expect(venue.journal).toHaveLength(0);
      expect(await orders()).toEqual([]);
      // Nothing reached a venue: no execution to count.
      expect(await counted()).toEqual({});
    } finally {
      await releaseKillSwitch(db.pool, { by: 'test' });
    }
  });

  it("re-checks the exposure cap at send with the gates' measure: an open MES long counts to its stop", async () => {
    const mesLong = (stop: string | null) =>
      db.pool.query(
        `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss)
         values ('futures', 'MES', 'long', 1, 6000, 5, $1)`,
        [stop],
      );
    // 5 USD a point × 6 points = 30 USD, plus this 50 USD entry: within the 120 USD cap, so it is sent.
    await mesLong('5994');
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    expect(await run(venue, await claimOne())).toBe('succeeded');
    expect(venue.journal).toHaveLength(1);
    // Without a stop the same contract counts at its 30,000 USD face value: refused, nothing sent.
    await db.pool.query(`truncate atc.fills, atc.outcomes, atc.positions, atc.orders cascade`);
    await mesLong(null);
    const refused = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    const step = await claimOne();
    expect(await run(refused, step)).toBe('failed');
    expect(refused.journal).toHaveLength(0);
    const { rows } = await db.pool.query<{ last_error: string }>(
      'select last_error from atc.steps where id = $1',
      [step.id],
    );
    expect(rows[0]!.last_error).toMatch(/^total_exposure: exposure 30050 USD/);
  });

  const ambiguous: [TestVenueFailurePoint, string, number][] = [
    ['before_accept', 'needs_reconciliation', 0],
    ['accept_then_timeout', 'needs_reconciliation', 0],
    ['after_fill', 'succeeded', 0.5],
  ];
  it.each(ambiguous)(
    'ambiguous submit (%s) → lookup → no second order; the step goes %s',
    async (point, expected, filled) => {
      const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
      venue.failNext(point);
      const step = await claimOne();
      expect(await run(venue, step)).toBe(expected);
      expect(venue.receivedCount(`atc-${step.id}-1`)).toBe(1);
      expect(venue.journal).toHaveLength(1);
      const [order] = await orders();
      expect(Number(order!.filled_quantity)).toBe(filled);
      if (filled > 0) expect(await position()).toEqual([{ side: 'long', quantity: '0.5', status: 'open' }]);
      else expect(await position()).toEqual([]);
      expect(await counted()).toEqual(filled > 0 ? { filled: 1 } : { needs_reconciliation: 1 });
    },
  );

  it('a request that provably never left is retried under a new attempt, and still reaches the venue once', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL]: '100' } });
    venue.failNext('unavailable');
    const step = await claimOne();
    expect(await run(venue, step)).toBe('queued');
    expect(venue.journal).toHaveLength(0);
    await db.pool.query('update atc.steps set run_after = now()');
    const [again] = await claimSteps(db.pool, {
      market: 'crypto',
      workerId: 'w1',
      limit: 1,
      leaseMs: 30_000,
      kinds: ['execute_trade'],
    });
    expect(again!.attempt).toBe(2);
    expect(await run(venue, again!)).toBe('succeeded');
    expect(venue.journal.map((e) => e.intent.clientOrderId)).toEqual([`atc-${step.id}-2`]);
    expect((await orders()).map((o) => o.status)).toEqual(['rejected', 'filled']);
    expect(await counted()).toEqual({ failed: 1, filled: 1 });
  });

  it('a business rejection fails the step and records the rejected order', async () => {
    const venue = new TestVenue({ market: 'crypto' });
    venue.failNext('reject');
    const step = await claimOne();
    expect(await run(venue, step)).toBe('failed');
    expect(await stepRow(step.id)).toBe('failed');
    expect((await orders()).map((o) => o.status)).toEqual(['rejected']);
    expect(await counted()).toEqual({ rejected: 1 });
  });
});
