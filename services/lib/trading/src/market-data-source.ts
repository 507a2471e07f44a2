import type { Market } from '@atc/contracts';

/** One quote from a venue's feed. */
export interface MarketQuote {
  readonly instrument: string;
  /** Decimal strings. */
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
  /** Cumulative session volume when the feed reports one (intel's volume-spike detector reads it). */
  readonly volume?: string;
}

/** Prices from the venues' feeds (the simulator in paper mode). */
export interface MarketDataSource {
  quote(market: Market, instrument: string): Promise<MarketQuote>;
}
