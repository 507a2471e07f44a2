import { queryOne, type Queryable } from '@atc/platform';
import type {
  Market,
  OrderSide,
  OrderStatus,
  OrderType,
  OutcomeType,
  PositionSide,
  PriceSource,
} from '@atc/contracts';

export interface OrderRow {
  readonly id: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly clientOrderId: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly multiplier: string;
  readonly status: OrderStatus;
  readonly venueOrderId: string | null;
  readonly filledQuantity: string;
  readonly averageFillPrice: string | null;
  readonly intent: unknown;
  readonly lastError: string | null;
  /** What the gates admitted (USD), the price's source and time; null for reductions. */
  readonly admittedNotionalUsd: string | null;
  readonly priceSource: PriceSource | null;
  readonly pricedAt: Date | null;
  /** The price and exposure the order was judged at just before it was sent. */
  readonly sendPrice: string | null;
  readonly sendNotionalUsd: string | null;
}

/** The risk engine's pricing of an entry order (design §5, invariant 10), stored on its intent. */
export interface OrderPricing {
  readonly admittedNotionalUsd: string;
  readonly priceSource: PriceSource;
  readonly pricedAt: Date;
  readonly sendPrice: string;
  readonly sendNotionalUsd: string;
}

const orderColumns = `id, step_id as "stepId", attempt, client_order_id as "clientOrderId", market, symbol, side,
  order_type as "orderType", quantity::text as quantity, limit_price::text as "limitPrice",
  multiplier::text as multiplier, status, venue_order_id as "venueOrderId",
  filled_quantity::text as "filledQuantity", average_fill_price::text as "averageFillPrice", intent,
  last_error as "lastError", admitted_notional_usd::text as "admittedNotionalUsd",
  price_source as "priceSource", priced_at as "pricedAt", send_price::text as "sendPrice",
  send_notional_usd::text as "sendNotionalUsd"`;

export interface NewOrder {
  readonly stepId: string;
  readonly attempt: number;
  readonly clientOrderId: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly multiplier: string;
  readonly intent: unknown;
  readonly pricing?: OrderPricing | null;
}

/** The intent row; an existing intent of the same (step, attempt) is kept, not duplicated. */
export async function insertOrder(db: Queryable, order: NewOrder): Promise<OrderRow | undefined> {
  return queryOne<OrderRow>(
    db,
    `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity,
                             limit_price, multiplier, intent, admitted_notional_usd, price_source, priced_at,
                             send_price, send_notional_usd)
     values ($1::uuid, $2::int, $3::text, $4::text, $5::text, $6::text, $7::text, $8::numeric, $9::numeric,
             $10::numeric, $11::jsonb, $12::numeric, $13::text, $14::timestamptz, $15::numeric, $16::numeric)
     on conflict (client_order_id) do nothing
     returning ${orderColumns}`,
    [
      order.stepId,
      order.attempt,
      order.clientOrderId,
      order.market,
      order.symbol,
      order.side,
      order.orderType,
      order.quantity,
      order.limitPrice,
      order.multiplier,
      JSON.stringify(order.intent),
      order.pricing?.admittedNotionalUsd ?? null,
      order.pricing?.priceSource ?? null,
      order.pricing?.pricedAt ?? null,
      order.pricing?.sendPrice ?? null,
      order.pricing?.sendNotionalUsd ?? null,
    ],
  );
}

export async function selectOrderByClientOrderId(
  db: Queryable,
  clientOrderId: string,
  lock: 'none' | 'update' = 'none',
): Promise<OrderRow | undefined> {
  return queryOne<OrderRow>(
    db,
    `select ${orderColumns} from atc.orders where client_order_id = $1::text${lock === 'update' ? ' for update' : ''}`,
    [clientOrderId],
  );
}

export async function updateOrder(
  db: Queryable,
  update: {
    id: string;
    status: OrderStatus;
    venueOrderId: string | null;
    filledQuantity: string;
    averageFillPrice: string | null;
    lastError: string | null;
  },
): Promise<void> {
  await db.query(
    `update atc.orders
        set status = $2::text, venue_order_id = coalesce($3::text, venue_order_id),
            filled_quantity = $4::numeric, average_fill_price = $5::numeric,
            last_error = coalesce($6::text, last_error), updated_at = now()
      where id = $1::uuid`,
    [
      update.id,
      update.status,
      update.venueOrderId,
      update.filledQuantity,
      update.averageFillPrice,
      update.lastError,
    ],
  );
}

/**
 * Serialises everything that touches one instrument's position for the rest of the transaction:
 * two fills of the same symbol must not both open a position or net against a stale quantity.
 */
export async function lockInstrument(db: Queryable, market: Market, symbol: string): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [
    `atc.position:${market}:${symbol}`,
  ]);
}

export async function fillExists(db: Queryable, market: Market, venueFillId: string): Promise<boolean> {
  const row = await queryOne<{ found: boolean }>(
    db,
    `select exists (select 1 from atc.fills where market = $1::text and venue_fill_id = $2::text) as found`,
    [market, venueFillId],
  );
  return row!.found;
}

export interface PositionRow {
  readonly id: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: PositionSide;
  readonly quantity: string;
  readonly averagePrice: string;
  readonly multiplier: string;
  readonly realisedPnl: string;
  readonly entryQuantity: string;
  readonly entryNotional: string;
  readonly exitQuantity: string;
  readonly exitNotional: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: Date;
  readonly closedAt: Date | null;
}

const positionColumns = `id, market, symbol, side, quantity::text as quantity, average_price::text as "averagePrice",
  multiplier::text as multiplier, realised_pnl::text as "realisedPnl", entry_quantity::text as "entryQuantity",
  entry_notional::text as "entryNotional", exit_quantity::text as "exitQuantity",
  exit_notional::text as "exitNotional", status, opened_at as "openedAt", closed_at as "closedAt"`;

export async function selectOpenPosition(
  db: Queryable,
  market: Market,
  symbol: string,
): Promise<PositionRow | undefined> {
  return queryOne<PositionRow>(
    db,
    `select ${positionColumns} from atc.positions where market = $1::text and symbol = $2::text and status = 'open'`,
    [market, symbol],
  );
}

export interface PositionWrite {
  readonly side: PositionSide;
  readonly quantity: string;
  readonly averagePrice: string;
  readonly multiplier: string;
  readonly realisedPnl: string;
  readonly entryQuantity: string;
  readonly entryNotional: string;
  readonly exitQuantity: string;
  readonly exitNotional: string;
  readonly closedAt: Date | null;
}

const writeValues = (p: PositionWrite) => [
  p.side,
  p.quantity,
  p.averagePrice,
  p.multiplier,
  p.realisedPnl,
  p.entryQuantity,
  p.entryNotional,
  p.exitQuantity,
  p.exitNotional,
  p.closedAt,
];

/**
 * Opens a position. Its stop-loss and take-profit are the entry's (the execute_trade step of
 * `openedByOrderId`, when there is one), so the exposure of a futures position is measured to its
 * stop from its first fill on, as the entry was admitted (`openPositionExposure`).
 */
export async function insertPosition(
  db: Queryable,
  position: PositionWrite & { market: Market; symbol: string; openedAt: Date; openedByOrderId: string },
): Promise<PositionRow> {
  const row = await queryOne<PositionRow>(
    db,
    `insert into atc.positions (side, quantity, average_price, multiplier, realised_pnl, entry_quantity,
                                entry_notional, exit_quantity, exit_notional, closed_at, status, market, symbol,
                                opened_at, stop_loss, take_profit)
     select $1::text, $2::numeric, $3::numeric, $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric,
            $9::numeric, $10::timestamptz, case when $10::timestamptz is null then 'open' else 'closed' end,
            $11::text, $12::text, $13::timestamptz, entry.stop, entry.target
       from (select 1) one
       left join lateral (
         select coalesce(s.payload->'trade'->'bracket'->>'stopLoss', s.payload->'trade'->>'stopLoss')::numeric as stop,
                coalesce(s.payload->'trade'->'bracket'->>'takeProfit', s.payload->'trade'->>'takeProfit')::numeric
                  as target
           from atc.orders o
           join atc.steps s on s.id = o.step_id and s.kind = 'execute_trade'
          where o.id = $14::uuid) entry on true
     returning ${positionColumns}`,
    [...writeValues(position), position.market, position.symbol, position.openedAt, position.openedByOrderId],
  );
  return row!;
}

export async function updatePosition(
  db: Queryable,
  id: string,
  position: PositionWrite,
): Promise<PositionRow> {
  const row = await queryOne<PositionRow>(
    db,
    `update atc.positions
        set side = $1::text, quantity = $2::numeric, average_price = $3::numeric, multiplier = $4::numeric,
            realised_pnl = $5::numeric, entry_quantity = $6::numeric, entry_notional = $7::numeric,
            exit_quantity = $8::numeric, exit_notional = $9::numeric, closed_at = $10::timestamptz,
            status = case when $10::timestamptz is null then 'open' else 'closed' end, updated_at = now()
      where id = $11::uuid
      returning ${positionColumns}`,
    [...writeValues(position), id],
  );
  return row!;
}

export async function insertFill(
  db: Queryable,
  fill: {
    orderId: string;
    positionId: string;
    market: Market;
    venueFillId: string;
    side: OrderSide;
    quantity: string;
    price: string;
    fee: string;
    realisedPnl: string;
    filledAt: Date;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.fills (order_id, position_id, market, venue_fill_id, side, quantity, price, fee, realised_pnl,
                            filled_at)
     values ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::numeric, $7::numeric, $8::numeric, $9::numeric,
             $10::timestamptz)
     returning id`,
    [
      fill.orderId,
      fill.positionId,
      fill.market,
      fill.venueFillId,
      fill.side,
      fill.quantity,
      fill.price,
      fill.fee,
      fill.realisedPnl,
      fill.filledAt,
    ],
  );
  return row!.id;
}

export async function insertOutcome(
  db: Queryable,
  outcome: {
    positionId: string;
    market: Market;
    symbol: string;
    side: PositionSide;
    quantity: string;
    entryPrice: string;
    exitPrice: string;
    realisedPnl: string;
    pnlFraction: string;
    outcomeType: OutcomeType;
    openedAt: Date;
    closedAt: Date;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.outcomes (position_id, market, symbol, side, quantity, entry_price, exit_price, realised_pnl,
                               pnl_fraction, outcome_type, hold_seconds, opened_at, closed_at)
     values ($1::uuid, $2::text, $3::text, $4::text, $5::numeric, $6::numeric, $7::numeric, $8::numeric,
             $9::numeric, $10::text,
             greatest(0, floor(extract(epoch from ($12::timestamptz - $11::timestamptz))))::int,
             $11::timestamptz, $12::timestamptz)
     returning id`,
    [
      outcome.positionId,
      outcome.market,
      outcome.symbol,
      outcome.side,
      outcome.quantity,
      outcome.entryPrice,
      outcome.exitPrice,
      outcome.realisedPnl,
      outcome.pnlFraction,
      outcome.outcomeType,
      outcome.openedAt,
      outcome.closedAt,
    ],
  );
  return row!.id;
}
