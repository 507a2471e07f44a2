import type { Queryable } from '@atc/platform';

export interface OrderExecutionCosts {
  readonly clientOrderId: string;
  /** What the order was expected to fill at (the quote's price), decimal string. */
  readonly expectedPrice: string | null;
  /** The average price it filled at, as the venue reported it. */
  readonly averagePrice: string | null;
  /** Signed basis points of the expected price; positive is worse than expected. */
  readonly slippageBps: string | null;
  /** What the venue charged, in the currency it charged it in (Solana: SOL). */
  readonly venueFee: { readonly currency: string; readonly amount: string } | null;
}

/**
 * Records, under the order's `intent.execution`, what it was expected to cost and what the venue
 * charged: the order row is where `explain` and operators read an order's story, and the intent
 * already holds the venue-specific request. A venue reports the same values on every look, so
 * writing them again is harmless. Served by the unique index on client_order_id.
 */
export async function updateOrderExecutionCosts(db: Queryable, costs: OrderExecutionCosts): Promise<void> {
  const execution = {
    expectedPrice: costs.expectedPrice,
    averagePrice: costs.averagePrice,
    slippageBps: costs.slippageBps,
    venueFee: costs.venueFee,
  };
  await db.query(
    `update atc.orders
        set intent = coalesce(intent, '{}'::jsonb) || jsonb_build_object('execution', $2::jsonb),
            updated_at = now()
      where client_order_id = $1::text`,
    [costs.clientOrderId, JSON.stringify(execution)],
  );
}
