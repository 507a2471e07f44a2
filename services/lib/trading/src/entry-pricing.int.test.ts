/**
 * Invariant 10 at the gates, against a real PostgreSQL: the engine prices every entry itself from a
 * fresh mark (atc.price_samples) or a venue quote handed to the intake, judges the exact order it
 * will send, and treats a declared notional only as a cross-check.
 * @module
 */
import Decimal from 'decimal.js';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { ProposalInput, TradePayload } from '@atc/contracts';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { insertTestMarks, SOL_MINT, tunePolicy, USDC_MINT } from './testing/proposal.fixtures';

const asOf = new Date('2031-02-04T15:00:00Z');
const OCC = 'SPY310205C00500000';

function proposal(trade: TradePayload, traceId: string): ProposalInput {
  return {
    source: 'operator',
    sourceTraceId: traceId,
    agent: 'atlas',
    title: 'Priced entry',
    rationale: 'test',
    confidence: 0.8,
    steps: [{ kind: 'execute_trade', market: trade.market, trade }],
  };
}

/** The proposal from issue 13 §1, verbatim: 20 USDC → SOL, declared 20, no reference price. */
const newcomerBuy = (): ProposalInput => ({
  source: 'operator',
  sourceTraceId: 'newcomer-test-2',
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
        inputMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
        outputMint: 'So11111111111111111111111111111111111111112',
        side: 'buy',
        amount: '20',
        notionalUsd: '20',
        stopLoss: '100',
      },
    },
  ],
});

describe('the risk engine prices every entry itself', () => {
  let db: TestDatabase;
  let trace = 0;
  const next = () => `pricing-${++trace}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      'truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.counters, atc.price_samples cascade',
    );
  });

  const admission = async (proposalId: string) =>
    (
      await db.pool.query<{
        quantity: string;
        notional_usd: string;
        price_source: string;
        instrument: string;
      }>(
        'select instrument, quantity::text, notional_usd::text, price_source from atc.entry_admissions where proposal_id = $1',
        [proposalId],
      )
    ).rows[0];

  it("sizes the issue's 20 USDC → SOL buy at 20 USD, not 20 SOL (amount is in input-token units)", async () => {
    await insertTestMarks(db.pool, asOf, { [USDC_MINT]: '1', [SOL_MINT]: '150.04' });
    const decision = await submitProposal(db.pool, newcomerBuy(), { asOf });
    expect(decision).toMatchObject({ status: 'approved', reasonCode: null });
    // 20 USDC × 1 ÷ 150.04 = 0.133297787… SOL, rounded down to 9 decimals: about 20 USD, within 60.
    expect(await admission(decision.proposalId)).toEqual({
      instrument: SOL_MINT,
      quantity: '0.133297787',
      notional_usd: '20.00',
      price_source: 'mark',
    });
  });

  it('rejects a buy whose priced exposure is above the position limit, whatever it declares', async () => {
    await insertTestMarks(db.pool, asOf, { [USDC_MINT]: '1', [SOL_MINT]: '150.04' });
    const trade = { ...(newcomerBuy().steps[0] as { trade: TradePayload }).trade, amount: '3000' };
    const { notionalUsd: _declared, ...undeclared } = trade;
    const decision = await submitProposal(db.pool, proposal(undeclared, next()), { asOf });
    expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'position_size' });
    expect(decision.reasonMessage).toMatch(/3000\.00 USD .* exceeds the maximum 60 USD/);
  });

  it('rejects the same proposal with price_unavailable when no fresh price exists (no default of 1)', async () => {
    const noMarks = await submitProposal(db.pool, { ...newcomerBuy(), sourceTraceId: next() }, { asOf });
    expect(noMarks).toMatchObject({ status: 'rejected', reasonCode: 'price_unavailable' });
    // A mark 121 s old is past the 120 s bound, measured from the decision's instant.
    await insertTestMarks(db.pool, new Date(asOf.getTime() - 121_000), {
      [USDC_MINT]: '1',
      [SOL_MINT]: '150',
    });
    const stale = await submitProposal(db.pool, { ...newcomerBuy(), sourceTraceId: next() }, { asOf });
    expect(stale).toMatchObject({ status: 'rejected', reasonCode: 'price_unavailable' });
    // A mark after the decision's instant is not read either: the gates see the state as of asOf.
    await insertTestMarks(db.pool, new Date(asOf.getTime() + 1_000), { [USDC_MINT]: '1', [SOL_MINT]: '150' });
    const future = await submitProposal(db.pool, { ...newcomerBuy(), sourceTraceId: next() }, { asOf });
    expect(future).toMatchObject({ status: 'rejected', reasonCode: 'price_unavailable' });
  });

  it('rejects a declared notional that understates the priced one 10× (declared_notional_mismatch)', async () => {
    await insertTestMarks(db.pool, asOf, { [USDC_MINT]: '1', [SOL_MINT]: '150' });
    const trade: TradePayload = {
      market: 'crypto',
      inputMint: SOL_MINT,
      outputMint: USDC_MINT,
      side: 'sell',
      amount: '0.3',
      notionalUsd: '4.5',
      stopLoss: '160',
    };
    const decision = await submitProposal(db.pool, proposal(trade, next()), { asOf });
    expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'declared_notional_mismatch' });
    expect(decision.reasonMessage).toMatch(/declared notional 4\.5 USD differs from the priced 45\.00 USD/);
    // The same order declared honestly (within 10 %) passes.
    const honest = await submitProposal(db.pool, proposal({ ...trade, notionalUsd: '44' }, next()), { asOf });
    expect(honest).toMatchObject({ status: 'awaiting_approval', reasonCode: null });
  });

  it('prices an option from the venue quote handed to the intake: premium × 100 × contracts', async () => {
    const option = (quantity: number): TradePayload => ({
      market: 'options',
      underlying: 'SPY',
      occSymbol: OCC,
      side: 'buy_to_open',
      quantity,
      orderType: 'market',
      stopLoss: '0.2',
    });
    const quotes = [
      {
        market: 'options' as const,
        instrument: OCC,
        price: '0.45',
        source: 'venue_quote' as const,
        at: asOf,
      },
    ];
    const one = await submitProposal(db.pool, proposal(option(1), next()), { asOf, quotes });
    expect(one).toMatchObject({ status: 'awaiting_approval', reasonCode: null });
    expect(await admission(one.proposalId)).toMatchObject({
      notional_usd: '45.00',
      price_source: 'venue_quote',
    });
    const two = await submitProposal(db.pool, proposal(option(2), next()), { asOf, quotes });
    expect(two).toMatchObject({ status: 'rejected', reasonCode: 'position_size' });
  });

  it("measures futures by the policy's measure: risk to the stop, or notional", async () => {
    await insertTestMarks(db.pool, asOf, { MES: '6000' }, 'futures');
    const mes: TradePayload = {
      market: 'futures',
      rootSymbol: 'MES',
      side: 'buy',
      contracts: 2,
      bracket: { stopLoss: '5995' },
    };
    // 5 USD × 2 contracts × 5 points = 50 USD to the stop.
    const risk = await submitProposal(db.pool, proposal(mes, next()), { asOf });
    expect(risk).toMatchObject({ status: 'awaiting_approval' });
    expect(await admission(risk.proposalId)).toMatchObject({ notional_usd: '50.00' });
    await tunePolicy(db.pool, 'pricing', { futuresExposure: 'notional' });
    try {
      // 5 × 2 × 6000 = 60,000 USD of face value: far above the 60 USD limit.
      const face = await submitProposal(db.pool, proposal(mes, next()), { asOf });
      expect(face).toMatchObject({ status: 'rejected', reasonCode: 'position_size' });
      expect(face.reasonMessage).toMatch(/60000\.00 USD/);
    } finally {
      await tunePolicy(db.pool, 'pricing', {});
    }
  });

  it('prefers a fresh venue quote over an older mark', async () => {
    await insertTestMarks(db.pool, new Date(asOf.getTime() - 60_000), {
      [USDC_MINT]: '1',
      [SOL_MINT]: '150',
    });
    const quotes = [
      {
        market: 'crypto' as const,
        instrument: SOL_MINT,
        price: '200',
        source: 'venue_quote' as const,
        at: asOf,
      },
    ];
    const decision = await submitProposal(
      db.pool,
      { ...newcomerBuy(), sourceTraceId: next() },
      { asOf, quotes },
    );
    expect(decision).toMatchObject({ status: 'approved' });
    expect(await admission(decision.proposalId)).toMatchObject({
      quantity: new Decimal(20).dividedBy(200).toFixed(),
      price_source: 'venue_quote',
    });
  });
});
