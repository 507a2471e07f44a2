/**
 * @atc/trading — the domain: proposal intake, risk gates, approvals, missions and steps, the ledger,
 * the events outbox, the audit log, the kill switch, policies and seeds. Every function takes a pool
 * or a Queryable; the transactional ones say whether they open their own transaction.
 */
export * from './content-hash';
export * from './validation';
export * from './events.queries';
export * from './audit-log';
export { AUDIT_CHAIN_LOCK_KEY } from './audit-log.queries';
export * from './policies';
export { selectPolicy, type PolicyRow } from './policies.queries';
export * from './kill-switch';
export type { HaltScope, LossLatch } from './halts.queries';
export { claimSlots, releaseSlots, readCounter, tradingDayAt } from './counters.queries';
export * from './risk-gates';
export * from './entry-pricing';
export * from './entry-quotes';
export type { MarketDataSource, MarketQuote } from './market-data-source';
export { mapBounded, PhaseCancelledError, throwIfCancelled } from './bounded-work';
export { seededRandom } from './seeded-random';
export * from './open-exposure';
export { selectCurrentExposure, selectOpenExposure, type CurrentExposure } from './risk-gates.queries';
export {
  selectProposalAdmissions,
  selectProposalOrderPricing,
  type EntryAdmission,
  type OrderPricingRow,
} from './entry-pricing.queries';
export * from './approval-routing';
export * from './proposal-intake';
export * from './approvals';
export { decisionOf, heldSlotsOf } from './proposal-decisions';
export { listProposals, selectProposal, type ProposalRow } from './proposals.queries';
export * from './missions';
export * from './client-order-id';
export * from './position-math';
export * from './ledger';
export {
  selectOpenPosition,
  selectOrderByClientOrderId,
  type OrderRow,
  type PositionRow,
} from './ledger.queries';
export * from './seeds';
export { defaultPolicies, initialAffinities, triggerRules, type TriggerRuleSeed } from './seed-data';
export * from './execution';
export * from './trading-day';
