import { PermanentError } from '@atc/platform';

/**
 * The venue interface the workers execute against (issue 4, item 5). Every adapter — Jupiter+Solana
 * for crypto, Tradier for options, ProjectX (and the Nebula relay) for futures, and the test venue —
 * implements it. Amounts are decimal strings; nothing here is a binary float.
 *
 * The contract that keeps orders single (design §5, invariant 2):
 * - `submitOrder` resolves only when the venue accepted the order; it throws `VenueRejectedError`
 *   when the venue proved it did not (safe to fail the step), `VenueUnavailableError` when the request
 *   provably never left (safe to retry), and `OutcomeUnknownError` otherwise — the caller must then
 *   `lookupOrder(clientOrderId)` before it ever resends.
 * - `lookupOrder` answers `found`, `absent` (the venue can prove it never got the id) or `unknown`.
 */
export type VenueMarket = 'crypto' | 'options' | 'futures';
export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';

export interface OrderIntent {
  /** Deterministic per step and attempt, committed before the call; the venue's idempotency handle. */
  readonly clientOrderId: string;
  readonly market: VenueMarket;
  /** Venue-neutral instrument: a token symbol or mint, an OCC option symbol, a futures root (MNQ). */
  readonly instrument: string;
  readonly side: OrderSide;
  /** Decimal string: contracts, shares, or token units (not base units). */
  readonly quantity: string;
  readonly orderType: OrderType;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** Crypto only: slippage tolerance in basis points. */
  readonly slippageBps?: number;
}

export type VenueOrderStatus =
  'pending' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

export const TERMINAL_ORDER_STATUSES: ReadonlySet<VenueOrderStatus> = new Set([
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);

export interface VenueFill {
  readonly quantity: string;
  readonly price: string;
}

export interface VenueOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly status: VenueOrderStatus;
  readonly filledQuantity: string;
  /** Volume-weighted average fill price; undefined until something filled. */
  readonly averagePrice?: string;
  readonly rejectReason?: string;
}

export type LookupResult =
  | { readonly state: 'found'; readonly order: VenueOrder }
  /** The venue can prove it never received the id (its order history covers the window). */
  | { readonly state: 'absent' }
  /** The venue cannot say (no status API, transaction not yet expired, …): keep reconciling. */
  | { readonly state: 'unknown'; readonly reason: string };

export interface VenuePosition {
  readonly instrument: string;
  /** Signed decimal string: negative is short. */
  readonly quantity: string;
  readonly averagePrice?: string;
}

export interface VenueQuote {
  readonly instrument: string;
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
}

export interface Venue {
  readonly name: string;
  readonly market: VenueMarket;
  submitOrder(intent: OrderIntent): Promise<VenueOrder>;
  lookupOrder(clientOrderId: string): Promise<LookupResult>;
  /** Cancels a resting order by client order id; resolves with the order as the venue now reports it. */
  cancelOrder(clientOrderId: string): Promise<VenueOrder>;
  getPositions(): Promise<VenuePosition[]>;
  getQuote(instrument: string): Promise<VenueQuote>;
}

/** The venue refused the order: it was not accepted, so the step may fail (or retry after a fix). */
export class VenueRejectedError extends PermanentError {
  constructor(
    readonly venue: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${venue} rejected the order: ${reason}`, { ...options, details: { venue, reason } });
  }
}

/** The request provably never reached the venue (breaker open, refused connection): safe to retry. */
export class VenueUnavailableError extends Error {
  constructor(
    readonly venue: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${venue} unavailable: ${message}`, options);
    this.name = 'VenueUnavailableError';
  }
}

export { OutcomeUnknownError } from '@atc/platform';
