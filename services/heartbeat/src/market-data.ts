import type { Market } from '@atc/contracts';
import type { MarketDataSource, MarketQuote } from '@atc/trading';

/** Anything that quotes an instrument: every `Venue` of @atc/venues does. */
export interface QuotingVenue {
  getQuote(instrument: string): Promise<MarketQuote>;
}

/** The phases' market data: each market's venue quotes its own instruments (the simulator in paper mode). */
export function venueMarketData(venues: Readonly<Partial<Record<Market, QuotingVenue>>>): MarketDataSource {
  return {
    async quote(market, instrument) {
      const venue = venues[market];
      if (!venue) throw new Error(`no venue quotes the ${market} market`);
      const quote = await venue.getQuote(instrument);
      return { instrument: quote.instrument, bid: quote.bid, ask: quote.ask, last: quote.last };
    },
  };
}
