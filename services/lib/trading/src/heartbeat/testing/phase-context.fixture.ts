import { silentLogger, type Pool } from '@atc/platform';
import type { Market } from '@atc/contracts';
import type { MarketDataSource, PhaseContext } from '../heartbeat-phase';

/** A price feed the test sets: `crypto:<mint>`, `futures:MES`; options by a function of the OCC symbol. */
export class FakeMarketData implements MarketDataSource {
  readonly prices = new Map<string, string>();
  optionAsk: (symbol: string) => string | undefined = () => undefined;
  readonly calls: string[] = [];

  set(market: Market, instrument: string, last: string): this {
    this.prices.set(`${market}:${instrument}`, last);
    return this;
  }

  quote(market: Market, instrument: string) {
    this.calls.push(`${market}:${instrument}`);
    const last =
      this.prices.get(`${market}:${instrument}`) ??
      (market === 'options' ? this.optionAsk(instrument) : undefined);
    if (last === undefined) return Promise.reject(new Error(`no price for ${market}:${instrument}`));
    return Promise.resolve({ instrument, bid: last, ask: last, last });
  }
}

/** A seeded generator (mulberry32), so probabilistic phases are reproducible in tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function phaseContext(
  pool: Pool,
  options: {
    now: Date;
    marketData?: MarketDataSource;
    random?: () => number;
    budgetMs?: number;
    signal?: AbortSignal;
  },
): PhaseContext {
  return {
    pool,
    signal: options.signal ?? new AbortController().signal,
    remainingMs: () => options.budgetMs ?? 10_000,
    now: options.now,
    random: options.random ?? seededRandom(1),
    logger: silentLogger(),
    marketData: options.marketData ?? new FakeMarketData(),
    venues: {},
  };
}
