/**
 * The events outbox: every state change inserts its event in `atc.events` in the transaction that
 * makes the change, and notifies channel `atc_events` with an event id — a wake-up: a transaction
 * that writes several events may notify once, with the newest id, so listeners read forward from
 * their cursor rather than fetching ids one by one. The dashboard streams them (SSE `id` = event id), the
 * reaction matrix and triggers read them. The type column is checked only for shape in SQL, because
 * event types grow with every feature; the payload of each known type is validated here.
 * @module
 */
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
import { roundtableScheduleOutcomes, roundtableSkipReasons } from './roundtable-schedules';
import { PolicyKey } from './policies';

const Uuid = z.string().uuid();
const Decimal = z.string();

/** One step's status change: an entry of `steps_status_changed`. */
const StepStatusChange = z.object({
  /** The step that changed. */
  stepId: Uuid,
  /** Its mission (whose own status change, if any, is a separate `mission_status_changed`). */
  missionId: Uuid,
  /** The step's market; null for market-less agent work (analysis, risk, roundtables). */
  market: Market.nullable(),
  /** The status the step had when this transaction changed it. */
  from: StepStatus,
  /** The status it has from this transaction on. */
  to: StepStatus,
  /**
   * Why, when the change has a reason: the failure, the retry's cause, "lease expired; requeued",
   * "handed back unstarted by a draining worker"; null for a plain claim or success.
   */
  error: z.string().nullable(),
});

/** An LLM budget alert (services/roundtable/src/voices/llm-budget.ts). */
const LlmBudgetAlert = z.object({
  agent: Agent,
  /** The trading day (calendar policy's zone), YYYY-MM-DD. */
  day: z.string(),
  /** The model of the call that crossed the threshold. */
  model: z.string(),
  /** The larger of tokens/dailyTokens and cost/dailyCostUsd, after the call (a decimal string). */
  usedRatio: Decimal,
  tokens: z.number().int(),
  dailyTokens: z.number().int(),
  costUsd: Decimal,
  dailyCostUsd: Decimal,
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
  /**
   * The one event of step status changes, a contract for the dashboard's live feed. Written in the
   * transaction that changes the steps, by the claim (atc.take_claimed_steps: queued → running) and
   * by atc.transition_steps, the one path of every other change (a worker's group-committed settles,
   * trade execution's transitions committed with its order intent and fills, a draining worker's
   * hand-back, the heartbeat's lease recovery, the reconciler). One event per transaction and call:
   * it may carry several changes, of steps of several missions and markets (a settle batch, a claim),
   * and a single change is a list of one. Each step appears at most once in an event; entries are in
   * step id order. Across events, a step's changes are in event id order and chain: each `from` is the
   * previous `to`, starting from `queued`. The row's `aggregate_type` is `step`, its `aggregate_id`
   * null (rows converted from the retired single-step event by migration 0013 keep their step id),
   * and its `market` is set when every change is of that one market. A mission the changes move has
   * its `mission_status_changed` event in the same transaction, after this one.
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
  // Issue 19, R3 (schedules): services/heartbeat/src/phases/schedule-roundtables.phase.ts.
  /** The heartbeat rolled a scheduled (or ad-hoc debate) roundtable: held with its proposal, or skipped. */
  roundtable_scheduled: z.object({
    format: ConversationFormat,
    /** `<local date>` for a scheduled format; `<agent>:<agent>@<instant>` for a debate's cooldown. */
    window: z.string(),
    outcome: z.enum(roundtableScheduleOutcomes),
    /** Why it was skipped; null when held. */
    reason: z.enum(roundtableSkipReasons).nullable(),
    participants: z.array(Agent),
    proposalId: Uuid.nullable(),
  }),
  /** A roundtable step's conversation ran to its end (services/roundtable). */
  conversation_finished: z.object({
    conversationId: Uuid,
    stepId: Uuid.nullable(),
    format: ConversationFormat,
    participants: z.array(Agent),
    consensus: z.enum(['proceed', 'hold', 'undecided']),
    summary: z.string(),
    /** Turns spoken (issue 19: a conversation of N turns). */
    turns: z.number().int().optional(),
  }),
  // --- issue 19, R2 (the conversation engine, services/roundtable/src/conversation) ---
  /** A roundtable step's conversation started: its length is drawn and fixed here. */
  conversation_started: z.object({
    conversationId: Uuid,
    stepId: Uuid.nullable(),
    format: ConversationFormat,
    topic: z.string(),
    participants: z.array(Agent),
    plannedTurns: z.number().int(),
  }),
  /** One turn, appended in the transaction that stores it (the dashboard's live feed shows it). */
  conversation_turn: z.object({
    conversationId: Uuid,
    turn: z.number().int(),
    agent: Agent,
    text: z.string(),
    stance: z.enum(['support', 'caution', 'neutral']),
    voice: z.enum(['llm', 'rules']),
  }),
  /** A participant's vote at the end of a conversation. */
  conversation_vote: z.object({
    conversationId: Uuid,
    agent: Agent,
    vote: z.enum(['support', 'oppose', 'abstain']),
    confidence: z.string(),
    reason: z.string(),
  }),
  /** An action item of a formal conversation entered the proposal intake (an `analyze` proposal). */
  action_item_proposed: z.object({
    conversationId: Uuid,
    index: z.number().int(),
    agent: Agent,
    item: z.string(),
    proposalId: Uuid,
    status: ProposalStatus,
  }),
  // --- end of issue 19, R2 ---
  // --- issue 19, R1 (LLM voices): budget alerts, once per agent, trading day and threshold. ---
  /** An agent's LLM usage today reached the policy's warning fraction of a budget. */
  llm_budget_warning: LlmBudgetAlert,
  /** An agent's LLM usage today reached its budget: rule-based voice until the next trading day. */
  llm_budget_exhausted: LlmBudgetAlert,
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
