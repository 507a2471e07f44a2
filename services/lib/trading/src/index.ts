/**
 * @atc/trading — the domain: proposal intake, risk gates, approvals, missions and steps, the ledger,
 * the events outbox, the audit log, the kill switch, policies and seeds, two-phase trade execution and
 * the reconciler. Every function takes a pool or a Queryable; the transactional ones say whether they
 * open their own transaction. This index is the library's public surface: what other packages use,
 * by name. Everything else is private to the library.
 * @module
 */
export {
  approveProposal,
  approveProposalIn,
  expireProposalsIn,
  rejectProposal,
  rejectProposalIn,
} from './approvals';
export { verifyAuditChain } from './audit-log';
export { mapBounded, PhaseCancelledError, throwIfCancelled } from './bounded-work';
export { contentHash } from './content-hash';
export { FUTURES_POINT_VALUE, priceKeysOf, type PriceQuote } from './entry-pricing';
export { selectProposalAdmissions, selectProposalOrderPricing } from './entry-pricing.queries';
export { quoteEntries, tradesOfProposal } from './entry-quotes';
export {
  appendEvent,
  EVENTS_CHANNEL,
  listEventsAfter,
  type NewEvent,
  type StoredEvent,
} from './events.queries';
export { countStillInFlight, latestEventId, transactionsInFlight } from './event-stream.queries';
export {
  type ExecutionLookup,
  type ExecutionOrderRequest,
  type ExecutionVenue,
  type ExecutionVenueOrder,
  type ExecutionVenuePosition,
} from './execution/execution-venue';
export { reconcile } from './execution/reconciler';
export { createTradeStepExecutor, type ExecutionCrashPoint } from './execution/trade-execution';
export { syncVenueOrder } from './execution/venue-order-sync';
export {
  engageKillSwitch,
  haltMarket,
  readHalts,
  releaseKillSwitch,
  resetLossLatch,
  resumeMarket,
} from './kill-switch';
export { recordOrderIntent } from './ledger';
export { selectOpenPosition } from './ledger.queries';
export { type MarketDataSource, type MarketQuote } from './market-data-source';
export { getPolicy, type PolicySnapshot, readPolicySnapshot, setPolicy } from './policies';
export { selectPolicy } from './policies.queries';
export { submitProposal, submitProposalIn } from './proposal-intake';
export { listProposals, type ProposalRow, selectProposal } from './proposals.queries';
export { selectOpenExposure } from './risk-gates.queries';
export { defaultPolicies } from './seed-data';
export { seededRandom } from './seeded-random';
export { applySeeds } from './seeds';
export { tradingDayOf } from './trading-day';
export { parseOrThrow, zodIssues } from './validation';
