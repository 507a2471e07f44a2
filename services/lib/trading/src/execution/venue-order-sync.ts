import Decimal from 'decimal.js';
import type { OrderStatus } from '@atc/contracts';
import type { Queryable } from '@atc/platform';
import { applyFill, setOrderStatus } from '../ledger';
import { selectOrderByClientOrderId, type OrderRow } from '../ledger.queries';
import type { ExecutionVenueOrder } from './execution-venue';
import { updateOrderExecutionCosts } from './execution-costs.queries';

const LEDGER_STATUS: Record<ExecutionVenueOrder['status'], OrderStatus> = {
  pending: 'accepted',
  open: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  cancelled: 'cancelled',
  expired: 'cancelled',
  rejected: 'rejected',
};

/**
 * Brings the ledger's order to what the venue reports, in the caller's transaction. Venues report
 * cumulative fills; the increment since the ledger's last view becomes one fill whose id is
 * `venueOrderId:cumulativeQuantity`, so the same report applied twice (a worker and the reconciler,
 * or a replay) is recorded once. The venue's expected price (and the slippage of the average fill
 * against it) and its fee are recorded on the order's `intent.execution`. Returns the order as now stored.
 */
export async function syncVenueOrder(
  client: Queryable,
  snapshot: ExecutionVenueOrder,
  actor: string,
  /** When the ledger learned of the fills in `snapshot` (the caller's clock). */
  learnedAt: Date,
): Promise<OrderRow> {
  let order = (await selectOrderByClientOrderId(client, snapshot.clientOrderId, 'update'))!;
  if (order.venueOrderId === null || ['intent', 'submitted', 'unknown'].includes(order.status)) {
    order = await setOrderStatus(client, {
      clientOrderId: order.clientOrderId,
      status: order.status === 'partially_filled' ? 'partially_filled' : 'accepted',
      venueOrderId: snapshot.venueOrderId,
      actor,
    });
  }
  const before = new Decimal(order.filledQuantity);
  const after = new Decimal(snapshot.filledQuantity);
  if (after.gt(before)) {
    const increment = after.minus(before);
    const averageAfter = new Decimal(snapshot.averagePrice ?? '0');
    const price = after
      .times(averageAfter)
      .minus(before.times(order.averageFillPrice ?? '0'))
      .dividedBy(increment)
      .toDecimalPlaces(12);
    await applyFill(client, {
      clientOrderId: order.clientOrderId,
      venueFillId: `${snapshot.venueOrderId}:${after.toFixed()}`,
      quantity: increment.toFixed(),
      price: price.gt(0) ? price.toFixed() : averageAfter.toFixed(),
      filledAt: learnedAt,
      actor,
    });
  }
  await recordExecutionCosts(client, snapshot);
  const target = LEDGER_STATUS[snapshot.status];
  const current = (await selectOrderByClientOrderId(client, snapshot.clientOrderId, 'update'))!;
  // Fills set filled / partially_filled themselves; a venue's terminal status is recorded here. A
  // venue that reports its order filled is done with it even if less than the ledger's quantity
  // filled: a swap's fill is what it delivered, which a buy sized from quotes only approaches.
  const done =
    ['cancelled', 'rejected'].includes(target) ||
    (target === 'filled' && new Decimal(current.filledQuantity).gt(0));
  if (done && current.status !== target) {
    return setOrderStatus(client, {
      clientOrderId: current.clientOrderId,
      status: target,
      error: snapshot.rejectReason,
      actor,
    });
  }
  return current;
}

async function recordExecutionCosts(client: Queryable, snapshot: ExecutionVenueOrder): Promise<void> {
  if (snapshot.expectedPrice === undefined && snapshot.fee === undefined) return;
  const expected = snapshot.expectedPrice === undefined ? null : new Decimal(snapshot.expectedPrice);
  const actual = snapshot.averagePrice === undefined ? null : new Decimal(snapshot.averagePrice);
  const slippage =
    expected?.gt(0) && actual?.gt(0)
      ? actual
          .minus(expected)
          .dividedBy(expected)
          .times(snapshot.side === 'buy' ? 10_000 : -10_000)
          .toDecimalPlaces(4)
      : null;
  await updateOrderExecutionCosts(client, {
    clientOrderId: snapshot.clientOrderId,
    expectedPrice: expected?.gt(0) ? expected.toFixed() : null,
    averagePrice: actual?.gt(0) ? actual.toFixed() : null,
    slippageBps: slippage?.toFixed() ?? null,
    venueFee: snapshot.fee
      ? { currency: snapshot.fee.currency, amount: new Decimal(snapshot.fee.amount).toFixed() }
      : null,
  });
}

/** What a settled venue order means for its step: something filled is never a failure. */
export function stepStatusForOrder(order: OrderRow): 'succeeded' | 'failed' | 'open' {
  const filled = new Decimal(order.filledQuantity);
  if (order.status === 'filled') return 'succeeded';
  if (order.status === 'cancelled' || order.status === 'rejected')
    return filled.gt(0) ? 'succeeded' : 'failed';
  return 'open';
}
