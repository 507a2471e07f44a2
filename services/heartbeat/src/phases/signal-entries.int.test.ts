/**
 * The heartbeat sizes its own entries (signal-entries.ts); the gates price them independently. With
 * fresh marks (or the venue quotes the scan hands over) every market's entry must still pass.
 * @module
 */
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { Market, ProposedStep } from '@atc/contracts';
import { submitProposal, applySeeds, defaultPolicies, quoteEntries } from '@atc/trading';
import { insertTestMarks, SOL_MINT, USDC_MINT } from '@atc/trading/testing';
import { entryFor, signalProposal } from './signal-entries';
import type { FoundSignal } from './signal-scan';
import { FakeMarketData, phaseContext } from './testing/phase-context.fixture';

const now = new Date('2031-03-04T15:00:00Z');
const policy = defaultPolicies.signal_scan;

const found = (market: Market, instrument: string, last: string): FoundSignal => ({
  market,
  instrument,
  signal: { direction: 'long', kinds: ['momentum'], confidence: 0.9, last, change: '0.02' },
});

describe("the heartbeat's own entries pass the pricing gates", () => {
  let db: TestDatabase;
  let scan = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(() =>
    db.pool.query(
      'truncate atc.entry_admissions, atc.steps, atc.missions, atc.proposals, atc.price_samples cascade',
    ),
  );

  const feed = () => {
    const data = new FakeMarketData()
      .set('crypto', USDC_MINT, '1')
      .set('crypto', SOL_MINT, '150')
      .set('futures', 'MES', '6000');
    data.optionAsk = (symbol) => (symbol.includes('C') ? '0.45' : undefined);
    return data;
  };
  const signals = [
    found('crypto', SOL_MINT, '150'),
    found('futures', 'MES', '6000'),
    found('options', 'SPY', '500'),
  ];

  async function submitEntry(signal: FoundSignal, withQuotes: boolean) {
    const context = phaseContext(db.pool, { now, marketData: feed() });
    const step = (await entryFor(context, signal, policy)) as Extract<
      ProposedStep,
      { kind: 'execute_trade' }
    >;
    expect(step).not.toBeNull();
    const quotes = withQuotes ? await quoteEntries(context, [step.trade]) : [];
    return submitProposal(db.pool, signalProposal(signal, step, ++scan), { asOf: now, quotes });
  }

  it.each(signals.map((s) => [s.market, s] as const))(
    '%s: admitted from the quotes the scan takes',
    async (_m, signal) => {
      const decision = await submitEntry(signal, true);
      expect(decision.reasonCode).toBeNull();
      expect(['approved', 'awaiting_approval']).toContain(decision.status);
    },
  );

  it('crypto and futures: admitted from fresh marks alone (the samples of the same run)', async () => {
    await insertTestMarks(db.pool, now, { [USDC_MINT]: '1', [SOL_MINT]: '150' });
    await insertTestMarks(db.pool, now, { MES: '6000' }, 'futures');
    for (const signal of signals.slice(0, 2)) {
      const decision = await submitEntry(signal, false);
      expect(decision).toMatchObject({ reasonCode: null });
    }
  });

  it('with neither a quote nor a fresh mark, the entry is rejected as unpriced', async () => {
    await insertTestMarks(db.pool, new Date(now.getTime() - 10 * 60_000), {
      [USDC_MINT]: '1',
      [SOL_MINT]: '150',
    });
    const decision = await submitEntry(signals[0]!, false);
    expect(decision).toMatchObject({ status: 'rejected', reasonCode: 'price_unavailable' });
  });
});
