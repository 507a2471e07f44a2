/**
 * What @atc/platform exports of its HTTP resilience (the venue clients use it); the rest is private.
 * @module
 */
export { BreakerOpenError, HttpStatusError, OutcomeUnknownError, VenueResponseError } from './http-errors';
export { DEFAULT_RETRY_POLICY, realSleep, type Sleep } from './http-retry';
export { createVenueBreaker, VenueBreaker } from './circuit-breaker';
export { venueMetrics } from './venue-metrics';
export { createResilientHttp, type ResilientHttp } from './resilient-http';
