import { z } from 'zod';
import {
  Agent,
  ConversationFormat,
  Market,
  MissionStatus,
  OrderSide,
  OrderStatus,
  PositionSide,
  ProposalStatus,
  RejectionReason,
  StepStatus,
  OutcomeType,
} from './enums';
import { PolicyKey } from './policies';

/**
 * The events outbox: every state change inserts its event in `atc.events` in the transaction that
 * makes the change, and notifies channel `atc_events` with an event id — a wake-up: a transaction
 * that writes several events may notify once, with the newest id, so listeners read forward from
 * their cursor rather than fetching ids one by one. The dashboard streams them (SSE `id` = event id), the
 * reaction matrix and triggers read them. The type column is checked only for shape in SQL, because
 * event types grow with every feature; the payload of each known type is validated here.
 */
const Uuid = z.string().uuid();
const Decimal = z.string();

const StepStatusChange = z.object({
  stepId: Uuid,
  missionId: Uuid,
  market: Market.nullable(),
  from: StepStatus,
  to: StepStatus,
  error: z.string().nullable().optional(),
});

export const eventPayloadSchemas = {
  proposal_decided: z.object({
    proposalId: Uuid,
    agent: Agent,
    title: z.string(),
    status: ProposalStatus,
    reasonCode: RejectionReason.nullable(),
    reasonMessage: z.string().nullable(),
    policyVersion: z.number().nullable(),
    decidedBy: z.string().nullable(),
  }),
  mission_created: z.object({ missionId: Uuid, proposalId: Uuid, title: z.string(), stepIds: z.array(Uuid) }),
  mission_status_changed: z.object({ missionId: Uuid, from: MissionStatus, to: MissionStatus }),
  step_status_changed: StepStatusChange,
  /**
   * Several steps changed status in one transaction — a worker's claim (queued → running) or a
   * batch of settles — one entry per step, in step id order. Written by the queue's batched paths
   * (atc.take_claimed_steps, atc.settle_held_steps); single transitions write step_status_changed.
   */
  steps_status_changed: z.object({ changes: z.array(StepStatusChange).min(1) }),
  order_created: z.object({
    orderId: Uuid,
    stepId: Uuid,
    clientOrderId: z.string(),
    market: Market,
    symbol: z.string(),
    side: OrderSide,
    quantity: Decimal,
  }),
  order_status_changed: z.object({
    orderId: Uuid,
    clientOrderId: z.string(),
    from: OrderStatus,
    to: OrderStatus,
    venueOrderId: z.string().nullable(),
  }),
  fill_recorded: z.object({
    fillId: Uuid,
    orderId: Uuid,
    market: Market,
    symbol: z.string(),
    side: OrderSide,
    quantity: Decimal,
    price: Decimal,
    realisedPnl: Decimal,
  }),
  position_changed: z.object({
    positionId: Uuid,
    market: Market,
    symbol: z.string(),
    side: PositionSide,
    quantity: Decimal,
    averagePrice: Decimal,
    realisedPnl: Decimal,
    status: z.enum(['open', 'closed']),
  }),
  outcome_recorded: z.object({
    outcomeId: Uuid,
    positionId: Uuid,
    market: Market,
    symbol: z.string(),
    outcomeType: OutcomeType,
    realisedPnl: Decimal,
    pnlFraction: Decimal,
  }),
  policy_changed: z.object({ key: PolicyKey, version: z.number(), by: z.string() }),
  halt_changed: z.object({
    scope: z.union([z.literal('global'), Market]),
    halted: z.boolean(),
    reason: z.string().nullable(),
    by: z.string(),
  }),
  loss_latch_changed: z.object({
    tripped: z.boolean(),
    realisedPnlUsd: Decimal.nullable(),
    by: z.string(),
  }),
  /** The reconciler found the ledger and the venue disagreeing on a position; never overwritten. */
  position_drift_detected: z.object({
    market: Market,
    venue: z.string(),
    symbol: z.string(),
    ledgerQuantity: Decimal,
    venueQuantity: Decimal,
  }),
  /** intel's scan found a signal (before any proposal); tags carry `signal` and `high_confidence`. */
  signal_detected: z.object({
    market: Market,
    instrument: z.string(),
    direction: z.enum(['long', 'short']),
    kinds: z.array(z.enum(['momentum', 'breakout', 'volume_spike'])),
    confidence: z.number(),
    last: Decimal,
    proposalId: Uuid.nullable(),
  }),
  /** A trigger rule fired (its fire count and last fire are persisted on the rule). */
  trigger_fired: z.object({
    rule: z.string(),
    fireCount: z.number(),
    proposalId: Uuid.nullable(),
  }),
  /** The reaction matrix queued a reaction. */
  reaction_queued: z.object({
    reactionId: Uuid,
    sourceAgent: Agent,
    targetAgent: Agent,
    reactionType: z.string(),
    eventId: z.string(),
  }),
  /** A position-management monitor asked for a close (stop-loss, take-profit, trailing stop). */
  position_exit_triggered: z.object({
    positionId: Uuid,
    market: Market,
    symbol: z.string(),
    reason: z.enum(['stop_loss', 'take_profit', 'trailing_stop']),
    mark: Decimal,
    level: Decimal,
    proposalId: Uuid,
  }),
  /** One agent's vote in a trade review, with its reason. */
  trade_review_vote: z.object({
    conversationId: Uuid,
    proposalId: Uuid,
    agent: Agent,
    vote: z.enum(['approve', 'reject', 'abstain']),
    reason: z.string(),
  }),
  trade_review_decided: z.object({
    conversationId: Uuid,
    proposalId: Uuid,
    decision: z.enum(['approve', 'reject']),
    status: ProposalStatus,
  }),
  memory_created: z.object({
    memoryId: Uuid,
    agent: Agent,
    type: z.enum(['insight', 'pattern', 'strategy', 'preference', 'lesson']),
    sourceTraceId: z.string().nullable(),
  }),
  memory_promoted: z.object({ memoryId: Uuid, agent: Agent, confidence: z.string() }),
  /** A roundtable step's conversation ran to its end (services/roundtable). */
  conversation_finished: z.object({
    conversationId: Uuid,
    stepId: Uuid.nullable(),
    format: ConversationFormat,
    participants: z.array(Agent),
    consensus: z.enum(['proceed', 'hold', 'undecided']),
    summary: z.string(),
  }),
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;
export const eventTypes = Object.keys(eventPayloadSchemas) as EventType[];

/** An event as the outbox stores and streams it. */
export interface AtcEvent<T extends EventType = EventType> {
  readonly id: string;
  readonly type: T;
  readonly payload: EventPayload<T>;
  readonly createdAt: string;
}
