/**
 * The vocabulary of atc, defined once. The database CHECK constraints repeat these lists and a test
 * (services/lib/trading/src/schema-enums.int.test.ts) fails when the two drift apart, which is the
 * defect that broke every path of the previous system (analyze vs analyze_signal, 'error' statuses).
 * @module
 */
import { z } from 'zod';

export const agents = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'] as const;
export const Agent = z.enum(agents);
export type Agent = z.infer<typeof Agent>;

export const markets = ['crypto', 'options', 'futures'] as const;
export const Market = z.enum(markets);
export type Market = z.infer<typeof Market>;

export const stepKinds = [
  'analyze',
  'calculate_risk',
  'execute_trade',
  'close_position',
  'monitor_position',
  'roundtable',
] as const;
export const StepKind = z.enum(stepKinds);
export type StepKind = z.infer<typeof StepKind>;

/** Who put a proposal forward: every source goes through the same intake. */
export const proposalSources = ['agent', 'trigger', 'reaction', 'roundtable', 'operator'] as const;
export const ProposalSource = z.enum(proposalSources);
export type ProposalSource = z.infer<typeof ProposalSource>;

export const proposalStatuses = [
  'pending',
  'awaiting_approval',
  'approved',
  'rejected',
  'expired',
  'cancelled',
] as const;
export const ProposalStatus = z.enum(proposalStatuses);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

export const missionStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const MissionStatus = z.enum(missionStatuses);
export type MissionStatus = z.infer<typeof MissionStatus>;

/**
 * `executing` means a venue call may have happened: such a step is never retried blindly, only
 * reconciled (design.md §4).
 */
export const stepStatuses = [
  'queued',
  'running',
  'executing',
  'succeeded',
  'failed',
  'needs_reconciliation',
  'cancelled',
  'dead',
] as const;
export const StepStatus = z.enum(stepStatuses);
export type StepStatus = z.infer<typeof StepStatus>;
export const terminalStepStatuses: readonly StepStatus[] = ['succeeded', 'failed', 'cancelled', 'dead'];

/**
 * `intent` is committed before the venue call; `unknown` is an ambiguous submit that the reconciler
 * must settle by looking the client order id up at the venue.
 */
export const orderStatuses = [
  'intent',
  'submitted',
  'accepted',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'unknown',
] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const orderSides = ['buy', 'sell'] as const;
export const OrderSide = z.enum(orderSides);
export type OrderSide = z.infer<typeof OrderSide>;

export const orderTypes = ['market', 'limit'] as const;
export const OrderType = z.enum(orderTypes);
export type OrderType = z.infer<typeof OrderType>;

export const positionSides = ['long', 'short'] as const;
export const PositionSide = z.enum(positionSides);
export type PositionSide = z.infer<typeof PositionSide>;

export const positionStatuses = ['open', 'closed'] as const;
export const PositionStatus = z.enum(positionStatuses);
export type PositionStatus = z.infer<typeof PositionStatus>;

export const outcomeTypes = ['win', 'loss', 'breakeven'] as const;
export const OutcomeType = z.enum(outcomeTypes);
export type OutcomeType = z.infer<typeof OutcomeType>;

/** Why a proposal was not approved. Every rejection carries one of these plus a message. */
export const rejectionReasons = [
  'min_confidence',
  'stop_loss_required',
  'position_size',
  'kill_switch',
  'market_halted',
  'daily_loss_latched',
  'daily_loss_limit',
  'no_open_position',
  'daily_trade_limit',
  'analysis_quota',
  'roundtable_quota',
  'max_open_positions',
  'total_exposure',
  /** No quote or mark for an instrument the entry needs, fresh within `pricing.maxPriceAgeSeconds`. */
  'price_unavailable',
  /** The proposal's declared `notionalUsd` differs from the engine's price by more than the tolerance. */
  'declared_notional_mismatch',
  'gate_error',
  'approver_rejected',
  'expired',
  'cancelled',
] as const;
export const RejectionReason = z.enum(rejectionReasons);
export type RejectionReason = z.infer<typeof RejectionReason>;

/**
 * Where the risk engine's price for an entry came from: a venue quote taken for this decision, or
 * the latest mark in `atc.price_samples` (the heartbeat's samples).
 */
export const priceSources = ['venue_quote', 'mark'] as const;
export const PriceSource = z.enum(priceSources);
export type PriceSource = z.infer<typeof PriceSource>;

/** What a futures entry's exposure measures against the limits (policy `pricing.futuresExposure`). */
export const futuresExposureMeasures = ['notional', 'risk_to_stop'] as const;
export const FuturesExposureMeasure = z.enum(futuresExposureMeasures);
export type FuturesExposureMeasure = z.infer<typeof FuturesExposureMeasure>;

/** Daily counters that hold slots atomically; one row per (name, trading day). */
export const counterNames = ['trades', 'analyses', 'roundtables'] as const;
export const CounterName = z.enum(counterNames);
export type CounterName = z.infer<typeof CounterName>;

export const memoryTypes = ['insight', 'pattern', 'strategy', 'preference', 'lesson'] as const;
export const MemoryType = z.enum(memoryTypes);
export type MemoryType = z.infer<typeof MemoryType>;

export const reactionStatuses = ['queued', 'processing', 'processed', 'failed'] as const;
export const ReactionStatus = z.enum(reactionStatuses);
export type ReactionStatus = z.infer<typeof ReactionStatus>;

export const conversationFormats = [
  'morning_standup',
  'position_review',
  'post_mortem',
  'debate',
  'strategy_session',
  'watercooler',
  'trade_review',
] as const;
export const ConversationFormat = z.enum(conversationFormats);
export type ConversationFormat = z.infer<typeof ConversationFormat>;

export const conversationStatuses = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** `skipped`: the run found the lease held by another and did nothing (recorded since migration 0016). */
export const heartbeatRunStatuses = ['running', 'success', 'partial_failure', 'failure', 'skipped'] as const;
export const HeartbeatRunStatus = z.enum(heartbeatRunStatuses);
export type HeartbeatRunStatus = z.infer<typeof HeartbeatRunStatus>;

export const apiKeyRoles = ['viewer', 'operator', 'admin'] as const;
export const ApiKeyRole = z.enum(apiKeyRoles);
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

export const triggerKinds = ['reactive', 'proactive'] as const;
export const TriggerKind = z.enum(triggerKinds);
export type TriggerKind = z.infer<typeof TriggerKind>;

/** Venue modes: everything starts in `simulation`; `live` needs an explicit policy change. */
export const venueModes = ['simulation', 'paper', 'live'] as const;
export const VenueMode = z.enum(venueModes);
export type VenueMode = z.infer<typeof VenueMode>;
