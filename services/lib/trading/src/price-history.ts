/**
 * One instrument's price history for a chart (`GET /api/prices/:market/:instrument`): the heartbeat's
 * samples over a window (the last 24 hours by default) and the fills on the instrument in it.
 * @module
 */
import { InputError, type Queryable } from '@atc/platform';
import { type Market, MAX_PRICE_HISTORY_DAYS, MAX_PRICE_SAMPLES } from '@atc/contracts';
import {
  type PriceFillRow,
  type PriceSampleRow,
  selectInstrumentFills,
  selectPriceSamples,
} from './price-history.queries';

export const DEFAULT_PRICE_HISTORY_MS = 24 * 3_600_000;

export interface PriceHistory {
  readonly market: Market;
  readonly instrument: string;
  readonly from: Date;
  readonly to: Date;
  /** Oldest first. */
  readonly samples: readonly PriceSampleRow[];
  readonly truncated: boolean;
  readonly fills: readonly PriceFillRow[];
}

export async function readPriceHistory(
  db: Queryable,
  request: {
    readonly market: Market;
    readonly instrument: string;
    readonly from?: string | undefined;
    readonly to?: string | undefined;
  },
  asOf: Date,
): Promise<PriceHistory> {
  const to = request.to ? new Date(request.to) : asOf;
  const from = request.from ? new Date(request.from) : new Date(to.getTime() - DEFAULT_PRICE_HISTORY_MS);
  if (from.getTime() > to.getTime()) {
    throw new InputError('from: must be on or before to', { details: { field: 'from' } });
  }
  if (to.getTime() - from.getTime() > MAX_PRICE_HISTORY_DAYS * 86_400_000) {
    throw new InputError(`from: the window spans at most ${MAX_PRICE_HISTORY_DAYS} days`, {
      details: { field: 'from' },
    });
  }
  const window = { market: request.market, instrument: request.instrument, from, to };
  // One more than the bound tells whether the window held more.
  const newestFirst = await selectPriceSamples(db, window, MAX_PRICE_SAMPLES + 1);
  const truncated = newestFirst.length > MAX_PRICE_SAMPLES;
  const samples = newestFirst.slice(0, MAX_PRICE_SAMPLES).reverse();
  const fills = await selectInstrumentFills(db, window);
  return { ...window, samples, truncated, fills };
}
