/**
 * The operator API's activity area: the six agents and what they remember, their relationships, the
 * roundtable's conversations, the events outbox and the audit log. Served by services/dashboard
 * (routes/activity.routes.ts); the web app reads the same shapes.
 * @module
 */
import { z } from 'zod';
import { Agent, ConversationFormat, ConversationStatus, Market, MemoryType } from '../enums';
import { eventTypes, type EventType } from '../events';
import { DecimalString } from '../money';
import { IsoInstant, PageQuery, pageOf } from './api-common';

const Uuid = z.uuid();
const MAX_BIGINT = BigInt('9223372036854775807');
/** A bigint id (events, audit entries) as a decimal string within PostgreSQL's range. */
export const BigintId = z
  .string()
  .regex(/^\d{1,19}$/, 'must be an id (digits)')
  // zod runs every check, even after the pattern failed: convert only what the pattern accepts.
  .refine((value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= MAX_BIGINT, 'must be an id within range');

/** `:agent` of /api/agents/:agent/…: one of the six. */
export const AgentParams = z.object({ agent: Agent }).strict();

/** One agent as its policy defines it, with figures counted from the database. */
export const AgentSummary = z.object({
  agent: Agent,
  role: z.string(),
  directive: z.string(),
  /** How the agent speaks (the policy's `tone`). */
  voice: z.string(),
  color: z.string(),
  preferredPartners: z.array(Agent),
  figures: z.object({
    memories: z.number().int(),
    promotedMemories: z.number().int(),
    proposals: z.number().int(),
    approvedProposals: z.number().int(),
    conversations: z.number().int(),
    /** Mean affinity over the agent's five relationships (0.10–0.95), null before seeding. */
    averageAffinity: DecimalString.nullable(),
    lastProposalAt: IsoInstant.nullable(),
  }),
});
export type AgentSummary = z.infer<typeof AgentSummary>;
export const AgentList = z.object({ items: z.array(AgentSummary) });

export const MemoryQuery = PageQuery.extend({ type: MemoryType.optional() }).strict();
export const Memory = z.object({
  id: Uuid,
  agent: Agent,
  type: MemoryType,
  content: z.string(),
  /** A fraction 0–1 as a decimal string (numeric(3,2)). */
  confidence: DecimalString,
  tags: z.array(z.string()),
  promoted: z.boolean(),
  upvotes: z.number().int(),
  downvotes: z.number().int(),
  createdAt: IsoInstant,
});
export type Memory = z.infer<typeof Memory>;
export const MemoryPage = pageOf(Memory);

export const RelationshipDrift = z.object({
  at: IsoInstant,
  delta: DecimalString,
  from: DecimalString,
  to: DecimalString,
  reason: z.string(),
  conversationId: z.string().nullable(),
});
export const Relationship = z.object({
  agentA: Agent,
  agentB: Agent,
  affinity: DecimalString,
  totalInteractions: z.number().int(),
  /** The pair's most recent affinity changes, oldest first (the last 50 kept). */
  drift: z.array(RelationshipDrift),
  lastInteractionAt: IsoInstant.nullable(),
});
export const RelationshipList = z.object({ items: z.array(Relationship) });

export const ConversationQuery = PageQuery.extend({
  format: ConversationFormat.optional(),
  status: ConversationStatus.optional(),
}).strict();
export const ConversationParams = z.object({ id: Uuid }).strict();
export const ConversationSummary = z.object({
  id: Uuid,
  format: ConversationFormat,
  topic: z.string(),
  participants: z.array(Agent),
  status: ConversationStatus,
  proposalId: Uuid.nullable(),
  scheduledFor: IsoInstant,
  finishedAt: IsoInstant.nullable(),
  createdAt: IsoInstant,
});
export const ConversationPage = pageOf(ConversationSummary);
export const TranscriptTurn = z.object({
  turn: z.number().int(),
  agent: Agent,
  stance: z.string(),
  line: z.string(),
});
export const Conversation = ConversationSummary.extend({
  stepId: Uuid.nullable(),
  transcript: z.array(TranscriptTurn),
  /** The roundtable's result (consensus, supporters, dissenters, summary); null until it finished. */
  outcome: z.record(z.string(), z.unknown()).nullable(),
  lastError: z.string().nullable(),
  startedAt: IsoInstant.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

const eventTypeSet = new Set<string>(eventTypes);
/** `?type=a&type=b` or `?type=a,b`: each one an event type of the outbox. */
const EventTypeFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')))
  .pipe(
    z
      .array(
        z.string().refine((type) => eventTypeSet.has(type), {
          message: `must be one of ${eventTypes.join(', ')}`,
        }),
      )
      .min(1)
      .max(eventTypes.length),
  )
  .transform((types) => [...new Set(types)] as EventType[]);

/**
 * `GET /api/events`: newest first by default; with `after` (an event id), oldest first from just
 * after it (how a client catches up). The cursor continues whichever direction the first page took.
 * Ids are taken at insert and concurrent transactions can commit out of id order, so an ascending
 * page read at the very edge of the table may pass an id that commits a moment later: a consumer
 * that must see every event exactly once follows the live stream (GET /api/stream), not this list.
 */
export const EventQuery = PageQuery.extend({
  after: BigintId.optional(),
  type: EventTypeFilter.optional(),
  market: Market.optional(),
  agent: Agent.optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
}).strict();
export type EventQuery = z.infer<typeof EventQuery>;
export const ApiEvent = z.object({
  /** The outbox's increasing id (a decimal string: bigint). */
  id: z.string(),
  type: z.string(),
  aggregateType: z.string().nullable(),
  aggregateId: z.string().nullable(),
  market: Market.nullable(),
  agent: Agent.nullable(),
  tags: z.array(z.string()),
  payload: z.unknown(),
  createdAt: IsoInstant,
});
export const EventPage = pageOf(ApiEvent);

/** The result of `atc audit verify`, the same function. */
export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ id: z.string(), problem: z.string() }).optional(),
});
export const AuditQuery = PageQuery.extend({
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  subjectType: z.string().min(1).max(100).optional(),
  subjectId: z.string().min(1).max(200).optional(),
}).strict();
export const AuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
  prevHash: z.string(),
  createdAt: IsoInstant,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = pageOf(AuditEntry);
