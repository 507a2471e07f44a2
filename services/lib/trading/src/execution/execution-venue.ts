import type { Market, OrderSide } from '@atc/contracts';

/**
 * The port through which execution and reconciliation reach a venue. `@atc/venues` implements it
 * (its `Venue` is structurally this), and tests pass its journaling test venue; trading never
 * imports a venue client.
 *
 * The submission contract (invariant 2): `submitOrder` resolves only with what the venue accepted;
 * it throws a `PermanentError` when the venue proved it refused, an error named
 * `VenueUnavailableError` or `BreakerOpenError` when the request provably never left, and anything
 * else means the outcome is unknown — the caller must look the id up before it could ever resend.
 */
export type ExecutionOrderType = 'market' | 'limit' | 'stop';

export interface ExecutionOrderRequest {
  readonly clientOrderId: string;
  readonly market: Market;
  readonly instrument: string;
  readonly side: OrderSide;
  /** Decimal string in the instrument's units (contracts, shares, tokens). */
  readonly quantity: string;
  readonly orderType: ExecutionOrderType;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly slippageBps?: number;
}

export type ExecutionVenueOrderStatus =
  'pending' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

export interface ExecutionVenueOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly status: ExecutionVenueOrderStatus;
  /** Cumulative filled quantity (decimal string). */
  readonly filledQuantity: string;
  /** Volume-weighted average price of everything filled so far. */
  readonly averagePrice?: string;
  readonly rejectReason?: string;
}

export type ExecutionLookup =
  | { readonly state: 'found'; readonly order: ExecutionVenueOrder }
  | { readonly state: 'absent' }
  | { readonly state: 'unknown'; readonly reason: string };

export interface ExecutionVenuePosition {
  readonly instrument: string;
  /** Signed decimal string: negative is short. */
  readonly quantity: string;
}

export interface ExecutionVenue {
  readonly name: string;
  readonly market: Market;
  submitOrder(request: ExecutionOrderRequest): Promise<ExecutionVenueOrder>;
  lookupOrder(clientOrderId: string): Promise<ExecutionLookup>;
  getPositions(): Promise<ExecutionVenuePosition[]>;
}

const TERMINAL: ReadonlySet<ExecutionVenueOrderStatus> = new Set([
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);

export function isTerminalVenueStatus(status: ExecutionVenueOrderStatus): boolean {
  return TERMINAL.has(status);
}

/** True when the error proves the order never reached the venue (safe to retry with a new attempt). */
export function provesOrderNotSent(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined;
  return name === 'VenueUnavailableError' || name === 'BreakerOpenError';
}
