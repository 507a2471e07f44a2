import type { ProposalInput, TradePayload } from '@atc/contracts';
import type { Logger } from '@atc/platform';
import { priceKeysOf, type PriceKey, type PriceQuote } from './entry-pricing';
import type { MarketDataSource } from './market-data-source';
import { mapBounded } from './bounded-work';

const QUOTE_CONCURRENCY = 4;

/** What quoting entries needs: something that quotes each market (the venues), a clock, a log. */
export interface EntryQuoting {
  readonly marketData: MarketDataSource;
  /** The instant the quotes are stamped with (the decision's `asOf`). */
  readonly now: Date;
  readonly logger: Logger;
  /** Stops starting new quotes once aborted (a heartbeat phase's budget). */
  readonly signal?: AbortSignal;
}

/** The trades of a proposal's `execute_trade` steps, the entries the gates price. */
export function tradesOfProposal(input: ProposalInput): TradePayload[] {
  return input.steps.flatMap((step) => (step.kind === 'execute_trade' ? [step.trade] : []));
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Venue quotes for the instruments the gates will price these entries from (`priceKeysOf`), taken at
 * `now`, at most four in flight, each bounded by the venue client's own timeout and breaker, so
 * an entry is judged on the venue's price now: the ask for an option or future bought, the bid for
 * one sold, Jupiter's USD price for a token. An instrument that cannot be quoted is logged (one
 * warning naming it and why, no stack) and left to its mark; without a fresh mark the gates reject
 * the entry `price_unavailable`. The heartbeat, the CLI and the dashboard all quote through this.
 */
export async function quoteEntries(
  quoting: EntryQuoting,
  trades: readonly TradePayload[],
): Promise<PriceQuote[]> {
  const wanted = new Map<string, PriceKey & { selling: boolean }>();
  for (const trade of trades) {
    const selling = trade.side === 'sell' || trade.side === 'sell_to_open';
    for (const key of priceKeysOf(trade)) wanted.set(`${key.market}:${key.instrument}`, { ...key, selling });
  }
  const signal = quoting.signal ?? new AbortController().signal;
  const quotes = await mapBounded({ signal }, [...wanted.values()], QUOTE_CONCURRENCY, (key) =>
    quoteOne(quoting, key),
  );
  return quotes.filter((q): q is PriceQuote => q !== null);
}

async function quoteOne(
  quoting: EntryQuoting,
  key: PriceKey & { selling: boolean },
): Promise<PriceQuote | null> {
  const { market, instrument } = key;
  let reason: string;
  try {
    const quote = await quoting.marketData.quote(market, instrument);
    const price = market === 'crypto' ? quote.last : key.selling ? quote.bid : quote.ask;
    if (Number(price) > 0) return { market, instrument, price, source: 'venue_quote', at: quoting.now };
    reason = `the venue quoted no ${market === 'crypto' ? 'price' : key.selling ? 'bid' : 'ask'}`;
  } catch (error) {
    reason = reasonOf(error);
  }
  quoting.logger.warn(
    { market, instrument, reason },
    `no venue quote for ${market} ${instrument} (${reason}); pricing it from the latest mark`,
  );
  return null;
}
