import { ConflictError, NotFoundError, type Queryable } from '@atc/platform';
import type { Market, OrderSide, OrderStatus, OrderType } from '@atc/contracts';
import { appendAudit } from './audit-log';
import { clientOrderId } from './client-order-id';
import { appendEvent } from './events.queries';
import {
  fillExists,
  insertFill,
  insertOrder,
  insertOutcome,
  insertPosition,
  lockInstrument,
  selectOpenPosition,
  selectOrderByClientOrderId,
  updateOrder,
  updatePosition,
  type OrderPricing,
  type OrderRow,
  type PositionRow,
  type PositionWrite,
} from './ledger.queries';
import { applyFillToPosition, Exact, outcomeOf, type PositionState } from './position-math';

export interface OrderIntent {
  readonly stepId: string;
  /** The step's claim attempt (its fencing token): one client order id per attempt. */
  readonly attempt: number;
  readonly market: Market;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: string;
  readonly limitPrice?: string | null;
  /** 1 for crypto, 100 for equity options, the point value for futures: always explicit, never assumed. */
  readonly multiplier: string;
  /** The venue-specific request, kept for reconciliation. */
  readonly intent?: unknown;
  /** An entry's admitted and send-time pricing (shown by `atc proposal show`). */
  readonly pricing?: OrderPricing | null;
  readonly actor: string;
}

/**
 * Commits the order intent before the venue is called (invariant 2). Idempotent per (step, attempt):
 * a second call returns the existing intent, so a retried transaction cannot create a second order.
 */
export async function recordOrderIntent(client: Queryable, order: OrderIntent): Promise<OrderRow> {
  const id = clientOrderId(order.stepId, order.attempt);
  const inserted = await insertOrder(client, {
    ...order,
    clientOrderId: id,
    limitPrice: order.limitPrice ?? null,
    multiplier: order.multiplier,
    intent: order.intent ?? {},
  });
  if (!inserted) {
    const existing = await selectOrderByClientOrderId(client, id);
    if (!existing) throw new Error(`order ${id} conflicted but cannot be read`);
    return existing;
  }
  await appendEvent(client, {
    type: 'order_created',
    aggregateType: 'order',
    aggregateId: inserted.id,
    market: order.market,
    tags: ['order', order.market],
    payload: {
      orderId: inserted.id,
      stepId: order.stepId,
      clientOrderId: id,
      market: order.market,
      symbol: order.symbol,
      side: order.side,
      quantity: inserted.quantity,
    },
  });
  await appendAudit(client, {
    actor: order.actor,
    action: 'order.intent',
    subjectType: 'order',
    subjectId: id,
    details: { market: order.market, symbol: order.symbol, side: order.side, quantity: inserted.quantity },
  });
  return inserted;
}

/** Records what the venue said about an order (accepted, rejected, cancelled, unknown…). */
export async function setOrderStatus(
  client: Queryable,
  update: {
    clientOrderId: string;
    status: OrderStatus;
    venueOrderId?: string;
    error?: string;
    actor: string;
  },
): Promise<OrderRow> {
  const order = await selectOrderByClientOrderId(client, update.clientOrderId, 'update');
  if (!order) throw new NotFoundError(`order ${update.clientOrderId} does not exist`);
  await updateOrder(client, {
    id: order.id,
    status: update.status,
    venueOrderId: update.venueOrderId ?? null,
    filledQuantity: order.filledQuantity,
    averageFillPrice: order.averageFillPrice,
    lastError: update.error ?? null,
  });
  if (order.status !== update.status) {
    await appendOrderStatusEvent(client, order, update.status, update.venueOrderId ?? order.venueOrderId);
    await appendAudit(client, {
      actor: update.actor,
      action: 'order.status',
      subjectType: 'order',
      subjectId: order.clientOrderId,
      details: {
        from: order.status,
        to: update.status,
        venueOrderId: update.venueOrderId ?? null,
        error: update.error ?? null,
      },
    });
  }
  return { ...order, status: update.status, venueOrderId: update.venueOrderId ?? order.venueOrderId };
}

export interface VenueFill {
  readonly clientOrderId: string;
  /** The venue's id of this fill (trade id, transaction signature): the idempotency key. */
  readonly venueFillId: string;
  readonly quantity: string;
  readonly price: string;
  readonly fee?: string;
  readonly filledAt: Date;
  readonly actor: string;
}

export interface AppliedFill {
  readonly applied: boolean;
  readonly fillId: string | null;
  readonly realisedPnl: string;
  readonly position: PositionRow | null;
  readonly outcomeId: string | null;
}

const stateOf = (row: PositionRow): PositionState => ({
  side: row.side,
  quantity: new Exact(row.quantity),
  averagePrice: new Exact(row.averagePrice),
  multiplier: new Exact(row.multiplier),
  realisedPnl: new Exact(row.realisedPnl),
  entryQuantity: new Exact(row.entryQuantity),
  entryNotional: new Exact(row.entryNotional),
  exitQuantity: new Exact(row.exitQuantity),
  exitNotional: new Exact(row.exitNotional),
});

const writeOf = (state: PositionState, closedAt: Date | null): PositionWrite => ({
  side: state.side,
  quantity: state.quantity.toFixed(),
  averagePrice: state.averagePrice.toFixed(),
  multiplier: state.multiplier.toFixed(),
  realisedPnl: state.realisedPnl.toFixed(),
  entryQuantity: state.entryQuantity.toFixed(),
  entryNotional: state.entryNotional.toFixed(),
  exitQuantity: state.exitQuantity.toFixed(),
  exitNotional: state.exitNotional.toFixed(),
  closedAt,
});

/**
 * Applies a venue fill to the ledger, in the caller's transaction: the fill row, the order's filled
 * quantity and status, the position (opened, scaled, reduced, closed or reversed), the outcome of a
 * closed position, their events and one audit row. The same venue fill applied twice is recorded once.
 */
export async function applyFill(client: Queryable, fill: VenueFill): Promise<AppliedFill> {
  const order = await selectOrderByClientOrderId(client, fill.clientOrderId, 'update');
  if (!order) throw new NotFoundError(`order ${fill.clientOrderId} does not exist`);
  await lockInstrument(client, order.market, order.symbol);
  if (await fillExists(client, order.market, fill.venueFillId)) {
    return { applied: false, fillId: null, realisedPnl: '0', position: null, outcomeId: null };
  }
  const quantity = new Exact(fill.quantity);
  if (!quantity.gt(0)) throw new ConflictError(`fill ${fill.venueFillId} has no quantity`);
  const current = await selectOpenPosition(client, order.market, order.symbol);
  const effect = applyFillToPosition(
    current ? stateOf(current) : null,
    { side: order.side, quantity, price: new Exact(fill.price), fee: new Exact(fill.fee ?? '0') },
    new Exact(order.multiplier),
  );
  const positions = await writePositions(client, order, current, effect, fill.filledAt);
  const fillId = await insertFill(client, {
    orderId: order.id,
    positionId: positions.main.id,
    market: order.market,
    venueFillId: fill.venueFillId,
    side: order.side,
    quantity: quantity.toFixed(),
    price: fill.price,
    fee: fill.fee ?? '0',
    realisedPnl: effect.realised.toFixed(),
    filledAt: fill.filledAt,
  });
  await updateFilledOrder(client, order, quantity, new Exact(fill.price));
  await emitFillEvents(client, order, { fillId, fill, realised: effect.realised.toFixed(), positions });
  await appendAudit(client, {
    actor: fill.actor,
    action: 'fill.applied',
    subjectType: 'order',
    subjectId: order.clientOrderId,
    details: {
      venueFillId: fill.venueFillId,
      quantity: quantity.toFixed(),
      price: fill.price,
      realisedPnl: effect.realised.toFixed(),
    },
  });
  return {
    applied: true,
    fillId,
    realisedPnl: effect.realised.toFixed(),
    position: positions.reversed ?? positions.main,
    outcomeId: positions.outcomeId,
  };
}

interface WrittenPositions {
  readonly main: PositionRow;
  readonly reversed: PositionRow | null;
  readonly outcomeId: string | null;
}

async function writePositions(
  client: Queryable,
  order: OrderRow,
  current: PositionRow | undefined,
  effect: ReturnType<typeof applyFillToPosition>,
  filledAt: Date,
): Promise<WrittenPositions> {
  const closedAt = effect.closed ? filledAt : null;
  const main = current
    ? await updatePosition(client, current.id, writeOf(effect.position, closedAt))
    : await insertPosition(client, {
        ...writeOf(effect.position, closedAt),
        market: order.market,
        symbol: order.symbol,
        openedAt: filledAt,
        openedByOrderId: order.id,
      });
  let outcomeId: string | null = null;
  if (effect.closed) {
    const figures = outcomeOf(effect.position);
    outcomeId = await insertOutcome(client, {
      positionId: main.id,
      market: order.market,
      symbol: order.symbol,
      side: effect.position.side,
      quantity: figures.quantity.toFixed(),
      entryPrice: figures.entryPrice.toFixed(),
      exitPrice: figures.exitPrice.toFixed(),
      realisedPnl: figures.realisedPnl.toFixed(),
      pnlFraction: figures.pnlFraction.toFixed(),
      outcomeType: figures.outcomeType,
      openedAt: main.openedAt,
      closedAt: filledAt,
    });
  }
  // The closed row must be written first: the unique index allows one open position per instrument.
  const reversed = effect.reversed
    ? await insertPosition(client, {
        ...writeOf(effect.reversed, null),
        market: order.market,
        symbol: order.symbol,
        openedAt: filledAt,
        openedByOrderId: order.id,
      })
    : null;
  return { main, reversed, outcomeId };
}

async function updateFilledOrder(
  client: Queryable,
  order: OrderRow,
  quantity: Exact,
  price: Exact,
): Promise<void> {
  const before = new Exact(order.filledQuantity);
  const filled = before.plus(quantity);
  const average = before
    .times(order.averageFillPrice ?? '0')
    .plus(quantity.times(price))
    .dividedBy(filled)
    .toDecimalPlaces(18);
  const status: OrderStatus = filled.gte(order.quantity) ? 'filled' : 'partially_filled';
  await updateOrder(client, {
    id: order.id,
    status,
    venueOrderId: null,
    filledQuantity: filled.toFixed(),
    averageFillPrice: average.toFixed(),
    lastError: null,
  });
  if (status !== order.status) await appendOrderStatusEvent(client, order, status, order.venueOrderId);
}

function appendOrderStatusEvent(
  client: Queryable,
  order: OrderRow,
  to: OrderStatus,
  venueOrderId: string | null,
): Promise<string> {
  return appendEvent(client, {
    type: 'order_status_changed',
    aggregateType: 'order',
    aggregateId: order.id,
    market: order.market,
    payload: { orderId: order.id, clientOrderId: order.clientOrderId, from: order.status, to, venueOrderId },
  });
}

async function emitFillEvents(
  client: Queryable,
  order: OrderRow,
  written: { fillId: string; fill: VenueFill; realised: string; positions: WrittenPositions },
): Promise<void> {
  const { fillId, fill, realised, positions } = written;
  await appendEvent(client, {
    type: 'fill_recorded',
    aggregateType: 'order',
    aggregateId: order.id,
    market: order.market,
    agent: 'scout',
    tags: ['trade', 'executed', order.market, order.side],
    payload: {
      fillId,
      orderId: order.id,
      market: order.market,
      symbol: order.symbol,
      side: order.side,
      quantity: fill.quantity,
      price: fill.price,
      realisedPnl: realised,
    },
  });
  for (const position of [positions.main, positions.reversed]) {
    if (!position) continue;
    await appendEvent(client, {
      type: 'position_changed',
      aggregateType: 'position',
      aggregateId: position.id,
      market: position.market,
      tags: ['position', position.status],
      payload: {
        positionId: position.id,
        market: position.market,
        symbol: position.symbol,
        side: position.side,
        quantity: position.quantity,
        averagePrice: position.averagePrice,
        realisedPnl: position.realisedPnl,
        status: position.status,
      },
    });
  }
  if (positions.outcomeId) await emitOutcome(client, positions.outcomeId, positions.main);
}

async function emitOutcome(client: Queryable, outcomeId: string, position: PositionRow): Promise<void> {
  const figures = outcomeOf(stateOf(position));
  await appendEvent(client, {
    type: 'outcome_recorded',
    aggregateType: 'outcome',
    aggregateId: outcomeId,
    market: position.market,
    tags: ['trade', 'closed', figures.outcomeType],
    payload: {
      outcomeId,
      positionId: position.id,
      market: position.market,
      symbol: position.symbol,
      outcomeType: figures.outcomeType,
      realisedPnl: figures.realisedPnl.toFixed(),
      pnlFraction: figures.pnlFraction.toFixed(),
    },
  });
}
