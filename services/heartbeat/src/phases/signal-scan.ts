import {
  describeSession,
  marketSession,
  type Market,
  type MarketSession,
  type PolicyValue,
} from '@atc/contracts';
import type { PhaseContext } from './heartbeat-phase';
import { mapBounded } from './phase-transaction';
import {
  insertPriceSamples,
  pruneSamples,
  selectRecentSamples,
  type NewPriceSample,
} from './price-samples.queries';
import { detectSignal, type DetectedSignal } from './signal-detection';
import { withTransaction } from '@atc/platform';

export type SignalScanPolicy = PolicyValue<'signal_scan'>;

export interface UniverseEntry {
  readonly market: Market;
  readonly instrument: string;
}

export function universeOf(policy: SignalScanPolicy): UniverseEntry[] {
  return [
    ...policy.universe.crypto.map((instrument) => ({ market: 'crypto' as const, instrument })),
    ...policy.universe.options.map((instrument) => ({ market: 'options' as const, instrument })),
    ...policy.universe.futures.map((instrument) => ({ market: 'futures' as const, instrument })),
  ];
}

const MARKETS: readonly Market[] = ['crypto', 'options', 'futures'];

/** The markets closed at the run's instant, with why (the market calendar in @atc/contracts). */
export function closedMarketsAt(now: Date): MarketSession[] {
  return MARKETS.map((market) => marketSession(market, now)).filter((session) => !session.open);
}

/** `options: closed (before open), futures: closed (weekend)`; empty when every market is open. */
export function describeClosed(closed: readonly MarketSession[]): string {
  return closed.map((session) => `${session.market}: ${describeSession(session)}`).join(', ');
}

/** The universe of the markets open at `now`: a closed market is neither sampled nor traded. */
export function openUniverseOf(policy: SignalScanPolicy, now: Date): UniverseEntry[] {
  const closed = new Set(closedMarketsAt(now).map((session) => session.market));
  return universeOf(policy).filter((entry) => !closed.has(entry.market));
}

const QUOTE_CONCURRENCY = 4;

/**
 * Quotes the universe of the open markets and the quote token (an instrument whose quote fails is skipped and logged: one venue down must
 * not stop the scan of the others), stores one sample each at the run's instant, prunes old ones.
 */
export async function sampleUniverse(
  context: PhaseContext,
  policy: SignalScanPolicy,
): Promise<{ sampled: number; failed: number; pruned: number }> {
  // The quote token is sampled too (never scanned for signals): the risk gates price every crypto
  // buy from the mark of the token it spends (design §5, invariant 10). Crypto is always open.
  const universe = [
    ...openUniverseOf(policy, context.now),
    { market: 'crypto' as const, instrument: policy.quoteMint },
  ];
  let failed = 0;
  const quotes = await mapBounded(context, universe, QUOTE_CONCURRENCY, async (entry) => {
    try {
      const quote = await context.marketData.quote(entry.market, entry.instrument);
      return { ...entry, last: quote.last, volume: quote.volume ?? null } satisfies NewPriceSample;
    } catch (error) {
      failed += 1;
      context.logger.warn({ err: error, ...entry }, 'quote for the signal scan failed; instrument skipped');
      return null;
    }
  });
  const samples = quotes.filter((q): q is NewPriceSample => q !== null && Number(q.last) > 0);
  const before = new Date(context.now.getTime() - policy.sampleRetentionMinutes * 60_000);
  return withTransaction(
    context.pool,
    async (client) => ({
      sampled: await insertPriceSamples(client, samples, context.now),
      failed,
      pruned: await pruneSamples(client, before, 5_000),
    }),
    { statementTimeoutMs: context.remainingMs() },
  );
}

export interface FoundSignal extends UniverseEntry {
  readonly signal: DetectedSignal;
}

/**
 * The strongest signal of each open market (at most one entry per market per scan). A closed market
 * has none, even with samples from before its close still in the lookback.
 */
export async function findSignals(context: PhaseContext, policy: SignalScanPolicy): Promise<FoundSignal[]> {
  const universe = openUniverseOf(policy, context.now);
  const rows = await selectRecentSamples(context.pool, universe, policy.lookbackSamples, context.now);
  const best = new Map<Market, FoundSignal>();
  for (const entry of universe) {
    const samples = rows.filter((r) => r.market === entry.market && r.instrument === entry.instrument);
    const signal = detectSignal(samples, policy);
    // Spot tokens are bought with the quote token, never shorted.
    if (!signal || (entry.market === 'crypto' && signal.direction === 'short')) continue;
    const current = best.get(entry.market);
    if (!current || signal.confidence > current.signal.confidence)
      best.set(entry.market, { ...entry, signal });
  }
  return [...best.values()];
}
