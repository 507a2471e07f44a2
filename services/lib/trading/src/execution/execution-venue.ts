import {
  TERMINAL_VENUE_ORDER_STATUSES,
  type Venue,
  type VenueLookup,
  type VenueOrder,
  type VenueOrderIntent,
  type VenueOrderStatus,
  type VenuePosition,
} from '@atc/contracts';

/**
 * The port through which execution and reconciliation reach a venue: the part of the contracts'
 * `Venue` interface they use. `@atc/venues` implements it, tests pass its journaling test venue, and
 * trading never imports a venue client. See `Venue` for the submission contract (invariant 2):
 * anything other than a `PermanentError` (refused) or an error named `VenueUnavailableError` /
 * `BreakerOpenError` (never sent) means the outcome is unknown and is looked up before any resend.
 */
export type ExecutionVenue = Pick<
  Venue,
  'name' | 'market' | 'submitOrder' | 'lookupOrder' | 'getPositions' | 'cashInstruments' | 'getQuote'
>;
export type ExecutionOrderRequest = VenueOrderIntent;
export type ExecutionVenueOrder = VenueOrder;
export type ExecutionLookup = VenueLookup;
export type ExecutionVenuePosition = VenuePosition;
export type ExecutionOrderType = VenueOrderIntent['orderType'];

export function isTerminalVenueStatus(status: VenueOrderStatus): boolean {
  return TERMINAL_VENUE_ORDER_STATUSES.has(status);
}

/** True when the error proves the order never reached the venue (safe to retry with a new attempt). */
export function provesOrderNotSent(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined;
  return name === 'VenueUnavailableError' || name === 'BreakerOpenError';
}
