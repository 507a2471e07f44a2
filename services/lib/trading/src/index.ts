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
export {
  type ApiKeySummary,
  type ApiKeyVerification,
  createApiKey,
  listApiKeys,
  type NewApiKey,
  parseKeyLifetime,
  revokeApiKey,
  verifyApiKey,
} from './api-keys';
export { API_KEY_PREFIX, STREAM_TICKET_PREFIX } from './api-secrets';
export { verifyAuditChain } from './audit-log';
export { mapBounded, PhaseCancelledError, throwIfCancelled } from './bounded-work';
export {
  type BreakerStatus,
  type CompanyStatus,
  type LastHeartbeat,
  type OpenPositionStatus,
  readCompanyStatus,
} from './company-status';
export { selectWorkersSeen, type WorkerSeen } from './company-status.queries';
export { contentHash } from './content-hash';
export { type HeartbeatRunView, pageHeartbeatRuns } from './heartbeat-runs.queries';
export { type DailyPnl, DEFAULT_PNL_DAYS, MAX_PNL_DAYS, readDailyPnl } from './daily-pnl';
export { DEFAULT_EQUITY_DAYS, type EquityCurve, readEquityCurve } from './equity-curve';
export { DEFAULT_PRICE_HISTORY_MS, type PriceHistory, readPriceHistory } from './price-history';
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
export {
  createTradeExecutionCounter,
  executionResultOf,
  type TradeExecutionCounter,
} from './execution/trade-execution-metrics';
export { syncVenueOrder } from './execution/venue-order-sync';
export {
  engageKillSwitch,
  haltMarket,
  readHalts,
  releaseKillSwitch,
  resetLossLatch,
  resumeMarket,
} from './kill-switch';
export {
  type ClusterAccess,
  engageKillSwitchAndScaleDown,
  type KillSwitchChangeResult,
  releaseKillSwitchAndRestore,
} from './kill-switch-cluster';
export {
  REPLICAS_ANNOTATION,
  restoreWorkloads,
  scaleDownWorkloads,
  SUSPEND_ANNOTATION,
} from './cluster-workloads';
export { recordOrderIntent } from './ledger';
export { selectOpenPosition } from './ledger.queries';
export {
  type MissionView,
  pageMissions,
  selectMissionSteps,
  selectMissionView,
  type StepView,
} from './mission-views.queries';
export { type MarketDataSource, type MarketQuote } from './market-data-source';
export { explainOrder, type OrderExplanation } from './order-explain';
export {
  type FillView,
  type OrderView,
  pageOrders,
  selectOrderFills,
  selectOrderView,
} from './order-views.queries';
export { getPolicy, type PolicySnapshot, readPolicySnapshot, setPolicy } from './policies';
export { selectPolicy } from './policies.queries';
export {
  type OutcomeView,
  pagePositions,
  type PositionView,
  selectCalendarTimeZone,
} from './position-views.queries';
export { submitProposal, submitProposalIn } from './proposal-intake';
export {
  type BusinessMetricsQuery,
  businessMetricsQueries,
  type BusinessMetricsSnapshot,
  type ByMarket,
  readBusinessMetrics,
  type ReadBusinessMetricsOptions,
} from './observability/business-metrics';
export { type HeartbeatOutcome, type TradeExecutionResult } from './observability/business-metrics.queries';
export { type ProposalDetail, readProposalDetail } from './proposal-views';
export { pageProposals, type ProposalFilter } from './proposal-views.queries';
export { type ProposalRow, selectProposal } from './proposals.queries';
export { selectOpenExposure } from './risk-gates.queries';
export { defaultPolicies } from './seed-data';
export { seededRandom } from './seeded-random';
export { applySeeds } from './seeds';
export {
  issueStreamTicket,
  redeemStreamTicket,
  STREAM_TICKET_TTL_MS,
  type StreamTicketRedemption,
} from './stream-tickets';
export { tradingDayOf } from './trading-day';
export {
  addLlmUsage,
  claimLlmBudgetAlert,
  type LlmUsageIncrement,
  type LlmUsageTotals,
  selectLlmUsage,
} from './llm-usage.queries';
export { parseOrThrow, zodIssues } from './validation';
export {
  type AgentFiguresRow,
  type ConversationDetailRow,
  type ConversationRow,
  type DriftEntry,
  type MemoryRow,
  type RelationshipRow,
  selectAgentFigures,
  selectConversation,
  selectConversationsPage,
  selectMemoriesPage,
  selectRelationships,
} from './agent-activity.queries';
export {
  type ConversationHeader,
  type ConversationListRow,
  type ConversationMemoryRow,
  type ConversationVoteRow,
  selectConversationHeader,
  selectConversationList,
  selectConversationMemories,
  selectConversationTurns,
  selectConversationVotes,
  type TranscriptTurnRow,
} from './conversation-transcripts.queries';
export {
  type AuditRow,
  type PolicyVersionRow,
  selectAuditPage,
  selectPolicyHistoryPage,
} from './audit-trail.queries';
export { type EventPageQuery, type EventRow, selectEventsPage } from './event-pages.queries';
export { type KeysetPage, type KeysetRequest, type TimeKey } from './keyset';
export {
  type HandResolution,
  type HandResolutionResult,
  type OperatorDeclaration,
  resolveStepByHand,
} from './manual-reconciliation';
export { type ReconciliationQueueRow, selectReconciliationQueuePage } from './reconciliation-queue.queries';
export { selectPolicies } from './policies.queries';
