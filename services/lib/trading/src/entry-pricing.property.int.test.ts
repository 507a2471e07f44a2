/**
 * Property tests of invariant 10 over random sizes and prices in every market (a seeded PRNG, so a
 * failure reproduces): no admitted order's exposure, recomputed here from the prices the test set
 * and the order the engine recorded, exceeds the position limit; and under real concurrency the
 * admitted exposure of unsettled entries never exceeds the total cap.
 * @module
 */
import Decimal from 'decimal.js';
import type { Pool } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { Market, ProposalInput, TradePayload } from '@atc/contracts';
import type { PriceQuote } from './entry-pricing';
import { seededRandom } from './seeded-random';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { insertTestMarks, SOL_MINT, tunePolicy, USDC_MINT } from './testing/proposal.fixtures';

const LIMIT = new Decimal(60);
const CAP = new Decimal(250);
const MES_POINT_VALUE = 5;

interface Case {
  readonly trade: TradePayload;
  readonly marks: { market: Market; prices: Record<string, string> }[];
  readonly quotes: PriceQuote[];
  /** The exposure of the exact order, computed independently of the engine (null for crypto buys). */
  readonly exposure: Decimal | null;
  /** Price of the traded instrument (crypto buys are checked through the recorded quantity). */
  readonly price: Decimal;
}

const pick = (random: () => number, low: number, high: number, places: number) =>
  new Decimal(low + random() * (high - low))
    .toDecimalPlaces(places, Decimal.ROUND_DOWN)
    .clampedTo(new Decimal(1).dividedBy(new Decimal(10).pow(places)), high);

/** A token mint and an option contract of their own per sample, so concurrent samples share no price. */
const mintOf = (tag: number) => `Mint${tag}`.padEnd(32, 'x');
const occOf = (tag: number) => `SPY310205C${String((100 + tag) * 1000).padStart(8, '0')}`;

function randomCase(random: () => number, asOf: Date, buys: boolean, tag: number, mes?: Decimal): Case {
  const kind = Math.floor(random() * (buys ? 4 : 3));
  if (kind === 0) {
    // Sell a token for USDC: exposure = amount × the token's price.
    const price = pick(random, 1, 150, 2);
    const amount = pick(random, 0.001, 1, 3);
    const mint = mintOf(tag);
    return {
      trade: {
        market: 'crypto',
        inputMint: mint,
        outputMint: USDC_MINT,
        side: 'sell',
        amount: amount.toFixed(),
        stopLoss: '1',
      },
      marks: [{ market: 'crypto', prices: { [mint]: price.toFixed() } }],
      quotes: [],
      exposure: amount.times(price),
      price,
    };
  }
  if (kind === 1) {
    const premium = pick(random, 0.01, 0.6, 2);
    const quantity = 1 + Math.floor(random() * 3);
    const occ = occOf(tag);
    return {
      trade: {
        market: 'options',
        underlying: 'SPY',
        occSymbol: occ,
        side: 'buy_to_open',
        quantity,
        orderType: 'market',
        stopLoss: '0.01',
      },
      marks: [],
      quotes: [
        { market: 'options', instrument: occ, price: premium.toFixed(), source: 'venue_quote', at: asOf },
      ],
      exposure: premium.times(100).times(quantity),
      price: premium,
    };
  }
  if (kind === 2) {
    const price = mes ?? pick(random, 4000, 7000, 2).toNearest(0.25, Decimal.ROUND_DOWN);
    const distance = pick(random, 0.25, 8, 2).toNearest(0.25, Decimal.ROUND_UP);
    const contracts = 1 + Math.floor(random() * 3);
    return {
      trade: {
        market: 'futures',
        rootSymbol: 'MES',
        side: 'buy',
        contracts,
        bracket: { stopLoss: price.minus(distance).toFixed() },
      },
      marks: [{ market: 'futures', prices: { MES: price.toFixed() } }],
      quotes: [],
      exposure: distance.times(MES_POINT_VALUE).times(contracts),
      price,
    };
  }
  // Buy SOL with USDC: the order's quantity is derived; its exposure is checked from the admission.
  const usdc = pick(random, 0.98, 1.02, 4);
  const price = pick(random, 1, 400, 2);
  const amount = pick(random, 1, 90, 2);
  return {
    trade: {
      market: 'crypto',
      inputMint: USDC_MINT,
      outputMint: SOL_MINT,
      side: 'buy',
      amount: amount.toFixed(),
      stopLoss: '0.5',
    },
    marks: [{ market: 'crypto', prices: { [USDC_MINT]: usdc.toFixed(), [SOL_MINT]: price.toFixed() } }],
    quotes: [],
    exposure: null,
    price,
  };
}

/**
 * Random open futures positions (MES and MNQ) with a stop, written to atc.positions, and what each
 * counts toward the cap computed here independently: point value × contracts × |current − stop|,
 * where the current price is a fresh mark (≤ 120 s old) or else the average price.
 */
async function openFuturesPositions(pool: Pool, random: () => number, asOf: Date): Promise<Decimal> {
  let total = new Decimal(0);
  for (const [symbol, pointValue] of [
    ['MES', 5],
    ['MNQ', 2],
  ] as const) {
    const long = random() < 0.5;
    const average = pick(random, 4000, 7000, 2).toNearest(0.25);
    const distance = pick(random, 0.25, 4, 2).toNearest(0.25, Decimal.ROUND_UP);
    const stop = long ? average.minus(distance) : average.plus(distance);
    const contracts = 1 + Math.floor(random() * 2);
    const mark = average.plus(
      pick(random, 0.25, 2, 2)
        .toNearest(0.25)
        .times(random() < 0.5 ? 1 : -1),
    );
    // A fresh mark, a stale one, or none: only the fresh one is the current price.
    const age = [30_000, 200_000, null][Math.floor(random() * 3)]!;
    const current = age === 30_000 ? mark : average;
    total = total.plus(current.minus(stop).abs().times(pointValue).times(contracts));
    await pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss,
                                  mark_price, marked_at)
       values ('futures', $1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        symbol,
        long ? 'long' : 'short',
        contracts,
        average.toFixed(),
        pointValue,
        stop.toFixed(),
        age === null ? null : mark.toFixed(),
        age === null ? null : new Date(asOf.getTime() - age),
      ],
    );
  }
  return total;
}

const proposalOf = (trade: TradePayload, traceId: string): ProposalInput => ({
  source: 'operator',
  sourceTraceId: traceId,
  agent: 'atlas',
  title: 'Random entry',
  confidence: 0.9,
  steps: [{ kind: 'execute_trade', market: trade.market, trade }],
});

describe('priced exposure properties', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await tunePolicy(db.pool, 'trade_limits', {
      maxDailyTrades: 10_000,
      maxOpenPositions: 1_000,
      maxPositionSizeUsd: LIMIT.toFixed(),
      maxTotalExposureUsd: CAP.toFixed(),
    });
    // Every admitted entry becomes an unsettled step at once, so it counts against the cap.
    await tunePolicy(db.pool, 'approval', {
      autoApproveTrades: { enabled: true, maxNotionalUsd: '1000000', minConfidence: 0 },
    });
    pool = db.createPool(60);
  });
  afterAll(() => db.drop());
  beforeEach(() =>
    db.pool.query(
      'truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.price_samples cascade',
    ),
  );

  const admitted = async (proposalId: string) =>
    (
      await db.pool.query<{ quantity: string; notional_usd: string }>(
        'select quantity::text, notional_usd::text from atc.entry_admissions where proposal_id = $1',
        [proposalId],
      )
    ).rows[0];

  it('no admitted order is priced above the position limit (300 random entries, every market)', async () => {
    await tunePolicy(db.pool, 'trade_limits', {
      maxTotalExposureUsd: '100000000',
      maxDailyTrades: 10_000,
      maxOpenPositions: 1_000,
      maxPositionSizeUsd: LIMIT.toFixed(),
    });
    const random = seededRandom(13);
    const tally = { admitted: 0, rejected: 0 };
    for (let i = 0; i < 300; i++) {
      const asOf = new Date(Date.UTC(2031, 1, 4, 15, 0, i));
      const sample = randomCase(random, asOf, true, i);
      for (const mark of sample.marks) await insertTestMarks(db.pool, asOf, mark.prices, mark.market);
      const decision = await submitProposal(db.pool, proposalOf(sample.trade, `prop-${i}`), {
        asOf,
        quotes: sample.quotes,
      });
      if (decision.status === 'rejected') {
        tally.rejected += 1;
        expect(decision.reasonCode).toBe('position_size');
        if (sample.exposure) expect(sample.exposure.gt(LIMIT)).toBe(true);
        continue;
      }
      tally.admitted += 1;
      const row = (await admitted(decision.proposalId))!;
      // The exact order: its own quantity at the price the test set.
      const multiplier = sample.trade.market === 'options' ? 100 : 1;
      const orderExposure =
        sample.exposure ?? new Decimal(row.quantity).times(sample.price).times(multiplier);
      expect(orderExposure.lte(LIMIT)).toBe(true);
      expect(new Decimal(row.notional_usd).gte(orderExposure.toDecimalPlaces(2, Decimal.ROUND_DOWN))).toBe(
        true,
      );
    }
    // Both sides of the limit were exercised.
    expect(tally.admitted).toBeGreaterThan(50);
    expect(tally.rejected).toBeGreaterThan(50);
  }, 120_000);

  it('up to 60 concurrent entries never take the open and unsettled exposure above the cap', async () => {
    await tunePolicy(db.pool, 'trade_limits', {
      maxDailyTrades: 10_000,
      maxOpenPositions: 1_000,
      maxPositionSizeUsd: LIMIT.toFixed(),
      maxTotalExposureUsd: CAP.toFixed(),
    });
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      await db.pool.query(
        'truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.price_samples, atc.positions cascade',
      );
      const asOf = new Date(Date.UTC(2031, 1, 5 + round, 15));
      // Open futures positions count to their stops, not at their ~30,000 USD face value.
      const open = await openFuturesPositions(db.pool, random, asOf);
      // Sells, options and futures: the exposure of each is known exactly, admitted or not.
      // One MES mark per round (one root); tokens and option contracts are per sample.
      const mes = new Decimal(6000 + round);
      const samples = Array.from({ length: 60 }, (_, i) => randomCase(random, asOf, false, i, mes));
      // Entries within the position limit: only the cap can refuse them.
      const priced = samples
        .map((s) => ({ ...s, exposure: s.exposure! }))
        .filter((s) => s.exposure.toDecimalPlaces(2, Decimal.ROUND_UP).lte(LIMIT));
      const quotes = priced.flatMap((s) => s.quotes);
      for (const s of priced)
        for (const m of s.marks) await insertTestMarks(db.pool, asOf, m.prices, m.market);
      const decisions = await Promise.all(
        priced.map((s, i) =>
          submitProposal(pool, proposalOf(s.trade, `burst-${round}-${i}`), { asOf, quotes }),
        ),
      );
      const { rows } = await db.pool.query<{ total: string }>(
        `select coalesce(sum(a.notional_usd), 0)::text as total
           from atc.steps s join atc.missions m on m.id = s.mission_id
           join atc.entry_admissions a on a.proposal_id = m.proposal_id and a.step_seq = s.seq`,
      );
      const total = new Decimal(rows[0]!.total).plus(open);
      expect(total.lte(CAP)).toBe(true);
      // A cap rejection only ever refused an entry that would not have fitted under the final total.
      const refused = decisions.flatMap((d, i) => (d.reasonCode === 'total_exposure' ? [priced[i]!] : []));
      expect(refused.length).toBeGreaterThan(0);
      for (const s of refused)
        expect(total.plus(s.exposure.toDecimalPlaces(2, Decimal.ROUND_UP)).gt(CAP)).toBe(true);
      expect(decisions.every((d) => d.status === 'approved' || d.reasonCode === 'total_exposure')).toBe(true);
    }
  }, 120_000);
});
