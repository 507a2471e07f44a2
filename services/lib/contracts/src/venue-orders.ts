/**
 * The venue interface (issue 4, item 5), in contracts because both sides share it: @atc/venues
 * implements it (Jupiter+Solana for crypto, Tradier for options, ProjectX and the Nebula relay for
 * futures, the journaling test venue), and @atc/trading's execution and reconciler call it. Amounts are decimal strings; nothing here is a binary float.
 *
 * The contract that keeps orders single (design §5, invariant 2) — the error classes live in
 * @atc/venues (they need the platform's error hierarchy):
 * - `submitOrder` resolves only when the venue accepted the order; it throws `VenueRejectedError`
 *   when the venue proved it did not (safe to fail the step), `VenueUnavailableError` when the request
 *   provably never left (safe to retry), and `OutcomeUnknownError` otherwise — the caller must then
 *   `lookupOrder(clientOrderId)` before it ever resends.
 * - `lookupOrder` answers `found`, `absent` (the venue can prove it never got the id) or `unknown`.
 * @module
 */
import type { Market, OrderSide } from './enums';

export type VenueOrderType = 'market' | 'limit' | 'stop';

export interface VenueOrderIntent {
  /** Deterministic per step and attempt, committed before the call; the venue's idempotency handle. */
  readonly clientOrderId: string;
  readonly market: Market;
  /** Venue-neutral instrument: a token symbol or mint, an OCC option symbol, a futures root (MNQ). */
  readonly instrument: string;
  readonly side: OrderSide;
  /** Decimal string: contracts, shares, or token units (not base units). */
  readonly quantity: string;
  readonly orderType: VenueOrderType;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** Crypto only: slippage tolerance in basis points. */
  readonly slippageBps?: number;
}

export type VenueOrderStatus =
  'pending' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

export const TERMINAL_VENUE_ORDER_STATUSES: ReadonlySet<VenueOrderStatus> = new Set([
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
  /**
   * The price the order was expected to fill at when it was sent (crypto: the swap quote's), so the
   * ledger can record the slippage against `averagePrice`; undefined when the venue has none.
   */
  readonly expectedPrice?: string;
  /** What the venue charged, in the currency it charged it in (a Solana swap: SOL for the transaction). */
  readonly fee?: VenueFee;
  readonly rejectReason?: string;
}

export interface VenueFee {
  readonly currency: string;
  /** Decimal string in units of `currency` (SOL, not lamports). */
  readonly amount: string;
}

export type VenueLookup =
  | { readonly state: 'found'; readonly order: VenueOrder }
  /** The venue can prove it never received the id (its order history covers the window). */
  | { readonly state: 'absent' }
  /** The venue cannot say (no status API, transaction not yet expired, …): keep reconciling. */
  | { readonly state: 'unknown'; readonly reason: string };

export interface VenuePosition {
  /** The same instrument the orders name: a futures root (MES), never a contract id. */
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
  readonly market: Market;
  /**
   * Instruments the venue holds as cash, not positions (crypto: the quote token and SOL, the fee
   * currency): `getPositions` never reports them and reconciliation never compares them.
   */
  readonly cashInstruments?: readonly string[];
  submitOrder(intent: VenueOrderIntent): Promise<VenueOrder>;
  lookupOrder(clientOrderId: string): Promise<VenueLookup>;
  /** Cancels a resting order by client order id; resolves with the order as the venue now reports it. */
  cancelOrder(clientOrderId: string): Promise<VenueOrder>;
  getPositions(): Promise<VenuePosition[]>;
  getQuote(instrument: string): Promise<VenueQuote>;
}
