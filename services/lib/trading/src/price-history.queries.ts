/**
 * The reads behind a price chart: one instrument's price samples over a window and the fills on it.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

export interface PriceSampleRow {
  readonly at: Date;
  readonly price: string;
}

export interface PriceFillRow {
  readonly id: string;
  readonly positionId: string | null;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly price: string;
  readonly filledAt: Date;
}

export interface PriceWindow {
  readonly market: Market;
  readonly instrument: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * The latest `limit` samples of the instrument in [from, to], newest first: a backward range walk of
 * price_samples_instrument_sampled_at_idx, stopped at the limit.
 */
export async function selectPriceSamples(
  db: Queryable,
  window: PriceWindow,
  limit: number,
): Promise<PriceSampleRow[]> {
  return queryRows<PriceSampleRow>(
    db,
    `select s.sampled_at as at, s.last::text as price
       from atc.price_samples s
      where s.market = $1::text and s.instrument = $2::text
        and s.sampled_at >= $3::timestamptz and s.sampled_at <= $4::timestamptz
      order by s.sampled_at desc
      limit $5::int`,
    [window.market, window.instrument, window.from, window.to, limit],
  );
}

/**
 * The fills on the instrument in [from, to], oldest first. Fills carry no symbol: their order does.
 * A range on filled_at (fills_filled_at_idx), then each fill's order by its primary key.
 */
export async function selectInstrumentFills(db: Queryable, window: PriceWindow): Promise<PriceFillRow[]> {
  return queryRows<PriceFillRow>(
    db,
    `select f.id, f.position_id as "positionId", o.client_order_id as "clientOrderId", f.side,
            f.quantity::text as quantity, f.price::text as price, f.filled_at as "filledAt"
       from atc.fills f
       join atc.orders o on o.id = f.order_id
      where f.filled_at >= $3::timestamptz and f.filled_at <= $4::timestamptz
        and f.market = $1::text and o.symbol = $2::text
      order by f.filled_at, f.id`,
    [window.market, window.instrument, window.from, window.to],
  );
}
