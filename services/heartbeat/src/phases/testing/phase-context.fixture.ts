import { silentLogger, type Pool } from '@atc/platform';
import { seededRandom, type MarketDataSource } from '@atc/trading';
import type { Market } from '@atc/contracts';
import type { PhaseContext } from '../heartbeat-phase';

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

export function phaseContext(
  pool: Pool,
  options: {
    now: Date;
    marketData?: MarketDataSource;
    random?: () => number;
    budgetMs?: number;
    signal?: AbortSignal;
    venues?: PhaseContext['venues'];
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
    venues: options.venues ?? {},
  };
}
