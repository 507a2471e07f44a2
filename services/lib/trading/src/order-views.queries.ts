/**
 * The operator's reads of orders and their fills.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, OrderStatus } from '@atc/contracts';
import type { OrderRow } from './ledger.queries';
import { type KeysetPage, type KeysetRequest, type TimeKey, timeKeyedPage } from './keyset';

export interface OrderView extends OrderRow {
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface FillView {
  readonly id: string;
  readonly orderId: string;
  readonly venueFillId: string;
  readonly positionId: string | null;
  readonly side: string;
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
  readonly realisedPnl: string;
  readonly filledAt: Date;
}

const orderColumns = `o.id, o.step_id as "stepId", o.attempt, o.client_order_id as "clientOrderId", o.market,
  o.symbol, o.side, o.order_type as "orderType", o.quantity::text as quantity,
  o.limit_price::text as "limitPrice", o.multiplier::text as multiplier, o.status,
  o.venue_order_id as "venueOrderId", o.filled_quantity::text as "filledQuantity",
  o.average_fill_price::text as "averageFillPrice", o.intent, o.last_error as "lastError",
  o.admitted_notional_usd::text as "admittedNotionalUsd", o.price_source as "priceSource",
  o.priced_at as "pricedAt", o.send_price::text as "sendPrice",
  o.send_notional_usd::text as "sendNotionalUsd", o.created_at as "createdAt", o.updated_at as "updatedAt"`;

/** Newest first. */
export async function pageOrders(
  db: Queryable,
  filter: { readonly market?: Market | undefined; readonly status?: OrderStatus | undefined },
  page: KeysetRequest<TimeKey>,
): Promise<KeysetPage<OrderView, TimeKey>> {
  const rows = await queryRows<OrderView & { sortKey: string }>(
    db,
    `select ${orderColumns}, to_json(o.created_at) #>> '{}' as "sortKey"
       from atc.orders o
      where ($1::text is null or o.market = $1::text)
        and ($2::text is null or o.status = $2::text)
        and ($3::timestamptz is null or (o.created_at, o.id) < ($3::timestamptz, $4::uuid))
      order by o.created_at desc, o.id desc
      limit $5::int`,
    [
      filter.market ?? null,
      filter.status ?? null,
      page.after?.at ?? null,
      page.after?.id ?? null,
      page.limit + 1,
    ],
  );
  return timeKeyedPage(rows, page.limit);
}

/** One order by its client order id (unique: it names the step and attempt). */
export async function selectOrderView(db: Queryable, clientOrderId: string): Promise<OrderView | undefined> {
  return queryOne<OrderView>(
    db,
    `select ${orderColumns} from atc.orders o where o.client_order_id = $1::text`,
    [clientOrderId],
  );
}

/** An order's fills in the order they happened; served by fills_order_id_idx. */
export async function selectOrderFills(db: Queryable, orderId: string): Promise<FillView[]> {
  return queryRows<FillView>(
    db,
    `select f.id, f.order_id as "orderId", f.venue_fill_id as "venueFillId", f.position_id as "positionId",
            f.side, f.quantity::text as quantity, f.price::text as price, f.fee::text as fee,
            f.realised_pnl::text as "realisedPnl", f.filled_at as "filledAt"
       from atc.fills f
      where f.order_id = $1::uuid
      order by f.filled_at, f.id`,
    [orderId],
  );
}
