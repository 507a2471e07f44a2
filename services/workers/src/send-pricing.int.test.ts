/**
 * Invariant 10 at execution: the worker sends exactly the order the gates admitted, prices it again
 * just before the send, and refuses (step failed, audited, no venue call) an order now worth more
 * than the admitted exposure beyond `pricing.sendNotionalTolerance` (crypto: 3 %).
 * @module
 */
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { fixedClock, type ProposalInput, type VenueQuote } from '@atc/contracts';
import { applySeeds, createTradeStepExecutor, submitProposal } from '@atc/trading';
import { claimSteps, type ClaimedStep } from '@atc/queue';
import { insertTestMarks, SOL_MINT, USDC_MINT } from '@atc/trading/testing';
import { TestVenue } from '@atc/venues/testing';
import { executeAndSettle } from './testing/trade-steps.fixture';

const asOf = new Date('2031-02-04T15:00:00Z');
const sendAt = new Date(asOf.getTime() + 10_000);

/** The proposal of issue 13 §1: 20 USDC → SOL, declared 20, no reference price. */
const newcomerBuy = (traceId: string): ProposalInput => ({
  source: 'operator',
  sourceTraceId: traceId,
  agent: 'atlas',
  title: 'Newcomer test buy SOL',
  rationale: 'manual test',
  confidence: 0.8,
  steps: [
    {
      kind: 'execute_trade',
      market: 'crypto',
      trade: {
        market: 'crypto',
        inputMint: USDC_MINT,
        outputMint: SOL_MINT,
        side: 'buy',
        amount: '20',
        notionalUsd: '20',
        stopLoss: '100',
      },
    },
  ],
});

/** A venue whose price feed is down: only the marks can price the order. */
class QuotelessVenue extends TestVenue {
  override getQuote(instrument: string): Promise<VenueQuote> {
    return Promise.reject(new Error(`no quote for ${instrument}`));
  }
}

describe('execution re-prices the admitted order before sending it', () => {
  let db: TestDatabase;
  let trace = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.fills, atc.outcomes, atc.positions, atc.orders, atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.counters, atc.price_samples cascade',
    );
    await insertTestMarks(db.pool, asOf, { [USDC_MINT]: '1', [SOL_MINT]: '150.04' });
  });

  async function admitAndClaim(): Promise<ClaimedStep> {
    const decision = await submitProposal(db.pool, newcomerBuy(`send-${++trace}`), { asOf });
    expect(decision).toMatchObject({ status: 'approved' });
    const [step] = await claimSteps(db.pool, {
      market: 'crypto',
      workerId: 'w1',
      limit: 1,
      leaseMs: 30_000,
      kinds: ['execute_trade', 'close_position'],
    });
    return step!;
  }

  const run = (venue: TestVenue, step: ClaimedStep, now = sendAt) =>
    executeAndSettle(
      db.pool,
      createTradeStepExecutor({ pool: db.pool, venue, actor: 'w', settleWaitMs: 0, clock: fixedClock(now) }),
      step,
      'w1',
    );
  const stepError = async (id: string) =>
    (await db.pool.query<{ last_error: string }>('select last_error from atc.steps where id = $1', [id]))
      .rows[0]!.last_error;
  const refusals = async (id: string) =>
    (
      await db.pool.query(`select 1 from atc.audit_log where action = 'order.refused' and subject_id = $1`, [
        id,
      ])
    ).rowCount;

  it("sends the issue's buy as the admitted 0.133297787 SOL (about 20 USD), not 20 SOL, and records its pricing", async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL_MINT]: '150.04' } });
    const step = await admitAndClaim();
    expect(await run(venue, step)).toBe('succeeded');
    expect(venue.journal.map((e) => e.intent.quantity)).toEqual(['0.133297787']);
    const { rows } = await db.pool.query(
      `select admitted_notional_usd::text, price_source, priced_at, send_price::text, send_notional_usd::text
         from atc.orders`,
    );
    expect(rows).toEqual([
      {
        admitted_notional_usd: '20.00',
        price_source: 'mark',
        priced_at: asOf,
        send_price: '150.04',
        send_notional_usd: '20.00',
      },
    ]);
  });

  it('refuses the order when the price moved past the tolerance between approval and send: no venue call', async () => {
    // SOL 150.04 → 156 (+4 %): 0.133297787 SOL is now 20.79 USD, above 20 × 1.03.
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL_MINT]: '156' } });
    const step = await admitAndClaim();
    expect(await run(venue, step)).toBe('failed');
    expect(venue.journal).toHaveLength(0);
    expect(await stepError(step.id)).toMatch(/^price_moved: priced at 156 \(venue_quote\)/);
    expect((await db.pool.query('select 1 from atc.orders')).rowCount).toBe(0);
    expect(await refusals(step.id)).toBe(1);
  });

  it('sends within the tolerance (+2 %)', async () => {
    const venue = new TestVenue({ market: 'crypto', prices: { [SOL_MINT]: '153.04' } });
    const step = await admitAndClaim();
    expect(await run(venue, step)).toBe('succeeded');
    expect(venue.journal).toHaveLength(1);
  });

  it('futures: re-prices the risk to the stop, refusing once the stop is too far from the market', async () => {
    await insertTestMarks(db.pool, asOf, { MES: '6000' }, 'futures');
    const mes = (traceId: string): ProposalInput => ({
      ...newcomerBuy(traceId),
      steps: [
        {
          kind: 'execute_trade',
          market: 'futures',
          trade: {
            market: 'futures',
            rootSymbol: 'MES',
            side: 'buy',
            contracts: 1,
            bracket: { stopLoss: '5994' },
          },
        },
      ],
    });
    const claimFutures = async (traceId: string) => {
      // 5 USD × 1 × (6000 − 5994) = 30 USD to the stop, admitted.
      expect(await submitProposal(db.pool, mes(traceId), { asOf })).toMatchObject({ status: 'approved' });
      const [step] = await claimSteps(db.pool, {
        market: 'futures',
        workerId: 'w1',
        limit: 1,
        leaseMs: 30_000,
        kinds: ['execute_trade'],
      });
      return step!;
    };
    // At 6006 it is 12 points: 60 USD, above 30 × 1.5 = 45 — not sent.
    const far = new TestVenue({ market: 'futures', prices: { MES: '6006' } });
    const step = await claimFutures(`send-${++trace}`);
    expect(await run(far, step)).toBe('failed');
    expect(far.journal).toHaveLength(0);
    expect(await stepError(step.id)).toMatch(/worth 60\.00 USD, above the admitted 30\.00 USD/);
    // (The near case last: its fill opens a position whose cost at face value fills the exposure cap.)
    // At 6002.5 the stop is 8.5 points away: 42.50 USD, within 30 × 1.5.
    const near = new TestVenue({ market: 'futures', prices: { MES: '6002.5' } });
    expect(await run(near, await claimFutures(`send-${++trace}`))).toBe('succeeded');
    expect(near.journal).toHaveLength(1);
  });

  it('falls back to a fresh mark when the venue cannot quote, and refuses when nothing is fresh', async () => {
    const fresh = await admitAndClaim();
    expect(await run(new QuotelessVenue({ market: 'crypto' }), fresh)).toBe('succeeded');
    const venue = new QuotelessVenue({ market: 'crypto' });
    const stale = await admitAndClaim();
    // An hour later the marks are stale and the venue has no quote: nothing prices the order.
    expect(await run(venue, stale, new Date(asOf.getTime() + 3_600_000))).toBe('failed');
    expect(venue.journal).toHaveLength(0);
    expect(await stepError(stale.id)).toMatch(/^price_unavailable: /);
    expect(await refusals(stale.id)).toBe(1);
  });
});
