/**
 * The venue interface lives in @atc/contracts (venue-orders.ts), shared with the trading core's
 * execution and reconciler; these are the names the adapters here were written with.
 * @module
 */
import { PermanentError, UnavailableError } from '@atc/platform';

import type {
  Market,
  OrderSide as ContractOrderSide,
  VenueLookup,
  VenueOrderIntent,
  VenueOrderStatus as ContractVenueOrderStatus,
  VenueOrderType,
} from '@atc/contracts';
import { TERMINAL_VENUE_ORDER_STATUSES } from '@atc/contracts';

export type { Venue, VenueFill, VenueOrder, VenuePosition, VenueQuote } from '@atc/contracts';
export type VenueMarket = Market;
export type OrderSide = ContractOrderSide;
export type OrderType = VenueOrderType;
export type OrderIntent = VenueOrderIntent;
export type LookupResult = VenueLookup;
export type VenueOrderStatus = ContractVenueOrderStatus;
export const TERMINAL_ORDER_STATUSES = TERMINAL_VENUE_ORDER_STATUSES;

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
export class VenueUnavailableError extends UnavailableError {
  constructor(
    readonly venue: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${venue} unavailable: ${message}`, { ...options, details: { venue } });
  }
}

export { OutcomeUnknownError } from '@atc/platform';
