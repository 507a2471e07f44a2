import type { TradePayload } from '@atc/contracts';
import { priceKeysOf, type PriceQuote } from '../entry-pricing';
import type { PhaseContext } from './heartbeat-phase';
import { mapBounded } from './phase-transaction';

const QUOTE_CONCURRENCY = 4;

/**
 * Venue quotes for the instruments the gates will price these entries from (`priceKeysOf`), taken at
 * the run's instant, so the heartbeat's own entries are judged on the venue's price now: the ask
 * for an option or future bought, the bid for one sold, Jupiter's USD price for a token. An
 * instrument that cannot be quoted is left to its mark (and without a fresh mark the gates reject
 * the entry with `price_unavailable`).
 */
export async function quoteEntries(
  context: Pick<PhaseContext, 'marketData' | 'now' | 'logger' | 'signal'>,
  trades: readonly TradePayload[],
): Promise<PriceQuote[]> {
  const wanted = new Map<
    string,
    { trade: TradePayload; market: TradePayload['market']; instrument: string }
  >();
  for (const trade of trades) {
    for (const key of priceKeysOf(trade)) wanted.set(`${key.market}:${key.instrument}`, { trade, ...key });
  }
  const quotes = await mapBounded(
    context,
    [...wanted.values()],
    QUOTE_CONCURRENCY,
    async (key): Promise<PriceQuote | null> => {
      try {
        const quote = await context.marketData.quote(key.market, key.instrument);
        const selling = key.trade.side === 'sell' || key.trade.side === 'sell_to_open';
        const price = key.market === 'crypto' ? quote.last : selling ? quote.bid : quote.ask;
        return {
          market: key.market,
          instrument: key.instrument,
          price,
          source: 'venue_quote',
          at: context.now,
        };
      } catch (error) {
        context.logger.warn(
          { err: error, ...key, trade: undefined },
          'quote for pricing an entry failed; the mark decides',
        );
        return null;
      }
    },
  );
  return quotes.filter((q): q is PriceQuote => q !== null && Number(q.price) > 0);
}
