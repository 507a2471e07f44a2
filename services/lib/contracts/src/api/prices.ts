/**
 * The operator API's price history: the samples the heartbeat took of one instrument (`atc.price_samples`)
 * and the fills on it over the same window, so a chart shows the price with each entry and exit marked.
 * @module
 */
import { z } from 'zod';
import { Market } from '../enums';
import { IsoInstant } from './api-common';

const Amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string');

/** The widest window one request reads. */
export const MAX_PRICE_HISTORY_DAYS = 31;
/** At most this many samples an answer (the latest of the window); `truncated` says when more were there. */
export const MAX_PRICE_SAMPLES = 5000;

export const PriceHistoryParams = z
  .object({
    market: Market,
    // A mint, an OCC option symbol or a futures root: letters, digits and a few separators.
    instrument: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'an instrument (letters, digits, . _ : -)'),
  })
  .strict();
export type PriceHistoryParams = z.infer<typeof PriceHistoryParams>;

/** `from` defaults to 24 hours before `to`; `to` to now. */
export const PriceHistoryQuery = z
  .object({ from: IsoInstant.optional(), to: IsoInstant.optional() })
  .strict();
export type PriceHistoryQuery = z.infer<typeof PriceHistoryQuery>;

export const PriceSampleItem = z.object({ at: IsoInstant, price: Amount });

/** A fill on the instrument; its side against the position's says entry or exit. */
export const PriceFillItem = z.object({
  id: z.uuid(),
  positionId: z.uuid().nullable(),
  clientOrderId: z.string(),
  side: z.enum(['buy', 'sell']),
  quantity: Amount,
  price: Amount,
  filledAt: IsoInstant,
});

export const PriceHistoryResponse = z.object({
  market: Market,
  instrument: z.string(),
  from: IsoInstant,
  to: IsoInstant,
  /** Oldest first. */
  samples: z.array(PriceSampleItem),
  /** True when the window held more than MAX_PRICE_SAMPLES samples (the latest are kept). */
  truncated: z.boolean(),
  /** Oldest first. */
  fills: z.array(PriceFillItem),
});
export type PriceHistoryResponse = z.infer<typeof PriceHistoryResponse>;
