/**
 * An open position counts toward the total-exposure cap the way its entry was admitted: a futures
 * position to its stop under `risk_to_stop` (at notional without a stop), at notional under
 * `notional`; crypto and options at cost. Real PostgreSQL; the position is opened through the ledger.
 * @module
 */
import { withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { ProposalInput, TradePayload } from '@atc/contracts';
import { applyFill, recordOrderIntent } from './ledger';
import { readPolicySnapshot } from './policies';
import { submitProposal } from './proposal-intake';
import { selectOpenExposure } from './risk-gates.queries';
import { applySeeds } from './seeds';
import { insertTestMarks, SOL_MINT, tunePolicy, USDC_MINT } from './testing/proposal.fixtures';

const asOf = new Date('2031-02-04T15:00:00Z');

const proposal = (trade: TradePayload, traceId: string): ProposalInput => ({
  source: 'operator',
  sourceTraceId: traceId,
  agent: 'atlas',
  title: 'Exposure test',
  rationale: 'test',
  confidence: 0.8,
  steps: [{ kind: 'execute_trade', market: trade.market, trade }],
});

/** 20 USDC → SOL: 20 USD of exposure at the test marks. */
const cryptoEntry: TradePayload = {
  market: 'crypto',
  inputMint: USDC_MINT,
  outputMint: SOL_MINT,
  side: 'buy',
  amount: '20',
  stopLoss: '140',
};

describe('open positions count toward the total exposure as their entries were admitted', () => {
  let db: TestDatabase;
  let trace = 0;
  const next = () => `exposure-${++trace}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await tunePolicy(db.pool, 'approval', {
      autoApproveTrades: { enabled: true, maxNotionalUsd: '1000000', minConfidence: 0 },
    });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query(
      `truncate atc.fills, atc.outcomes, atc.positions, atc.orders, atc.entry_admissions, atc.steps,
                atc.missions, atc.proposals, atc.counters, atc.price_samples cascade`,
    );
    await tunePolicy(db.pool, 'pricing', {});
    await insertTestMarks(db.pool, asOf, { [USDC_MINT]: '1', [SOL_MINT]: '150' });
    await insertTestMarks(db.pool, asOf, { MES: '6000' }, 'futures');
  });

  /** Opens 1 MES long at 6000 through the gates and the ledger, from an entry with `bracket`. */
  async function openMesLong(bracket: { stopLoss: string } | undefined): Promise<void> {
    const trade: TradePayload = {
      market: 'futures',
      rootSymbol: 'MES',
      side: 'buy',
      contracts: 1,
      ...(bracket ? { bracket } : {}),
    };
    const decision = await submitProposal(db.pool, proposal(trade, next()), { asOf });
    expect(decision).toMatchObject({ status: 'approved' });
    const { rows } = await db.pool.query<{ id: string }>('select id from atc.steps where mission_id = $1', [
      decision.missionId,
    ]);
    await withTransaction(db.pool, async (client) => {
      const order = await recordOrderIntent(client, {
        stepId: rows[0]!.id,
        attempt: 1,
        market: 'futures',
        symbol: 'MES',
        side: 'buy',
        orderType: 'market',
        quantity: '1',
        multiplier: '5',
        actor: 'worker:test',
      });
      await applyFill(client, {
        clientOrderId: order.clientOrderId,
        venueFillId: `fill-${next()}`,
        quantity: '1',
        price: '6000',
        filledAt: asOf,
        actor: 'worker:test',
      });
    });
    // The entry step has settled: only the open position counts from here on.
    await db.pool.query(`delete from atc.entry_admissions`);
  }

  const openExposure = async () => {
    const policies = await readPolicySnapshot(db.pool);
    return selectOpenExposure(db.pool, policies.pricing, asOf);
  };

  it('counts an MES long with a stop 6 points below at 30 USD, so a 20 USD crypto entry fits the 120 cap', async () => {
    await openMesLong({ stopLoss: '5994' });
    // The ledger gave the position its entry's stop when it opened.
    const { rows } = await db.pool.query<{ stop_loss: string }>(
      `select stop_loss::text from atc.positions where symbol = 'MES' and status = 'open'`,
    );
    expect(rows).toEqual([{ stop_loss: '5994' }]);
    // 5 USD a point × 1 contract × |6000 − 5994| = 30 USD, not 30,000 of face value.
    expect(await openExposure()).toEqual([
      { market: 'futures', symbol: 'MES', exposureUsd: '30', basis: 'risk_to_stop' },
    ]);
    const entry = await submitProposal(db.pool, proposal(cryptoEntry, next()), { asOf });
    expect(entry).toMatchObject({ status: 'approved', reasonCode: null });
  });

  it('measures a futures position from its fresh mark, or its average price when the mark is stale', async () => {
    await openMesLong({ stopLoss: '5994' });
    await db.pool.query(
      `update atc.positions set mark_price = 6010, marked_at = $1 where symbol = 'MES' and status = 'open'`,
      [asOf],
    );
    // 5 × |6010 − 5994| = 80 USD: 80 + 20 + 20 USD fits the cap, one more 20 USD entry does not.
    expect((await openExposure())[0]).toMatchObject({ exposureUsd: '80' });
    const fits = await submitProposal(db.pool, proposal(cryptoEntry, next()), { asOf });
    expect(fits).toMatchObject({ status: 'approved' });
    // A mark older than the futures price age (120 s) is not the current price.
    await db.pool.query(`update atc.positions set marked_at = $1 where symbol = 'MES' and status = 'open'`, [
      new Date(asOf.getTime() - 121_000),
    ]);
    expect((await openExposure())[0]).toMatchObject({ exposureUsd: '30' });
  });

  it('counts a futures position without a stop at notional', async () => {
    await openMesLong({ stopLoss: '5994' });
    // A position whose stop is unknown (a manual fill, an entry without a bracket): face value.
    await db.pool.query(`update atc.positions set stop_loss = null where symbol = 'MES'`);
    expect(await openExposure()).toEqual([
      { market: 'futures', symbol: 'MES', exposureUsd: '30000', basis: 'notional_no_stop' },
    ]);
    const entry = await submitProposal(db.pool, proposal(cryptoEntry, next()), { asOf });
    expect(entry).toMatchObject({ status: 'rejected', reasonCode: 'total_exposure' });
    expect(entry.reasonMessage).toMatch(/now 30000\b/);
  });

  it("counts every futures position at notional under the policy's `notional` measure", async () => {
    await openMesLong({ stopLoss: '5994' });
    await tunePolicy(db.pool, 'pricing', { futuresExposure: 'notional' });
    expect(await openExposure()).toEqual([
      { market: 'futures', symbol: 'MES', exposureUsd: '30000', basis: 'notional' },
    ]);
    const entry = await submitProposal(db.pool, proposal(cryptoEntry, next()), { asOf });
    expect(entry).toMatchObject({ status: 'rejected', reasonCode: 'total_exposure' });
  });

  it('keeps crypto positions at cost: quantity × average price × multiplier', async () => {
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss,
                                  mark_price, marked_at)
       values ('crypto', $1, 'long', 0.4, 150, 1, 140, 200, $2)`,
      [SOL_MINT, asOf],
    );
    expect(await openExposure()).toEqual([
      { market: 'crypto', symbol: SOL_MINT, exposureUsd: '60', basis: 'cost' },
    ]);
  });
});
