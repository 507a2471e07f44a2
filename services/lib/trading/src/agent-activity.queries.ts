/**
 * What the operator reads about the six agents: figures counted per agent, memories, the 15
 * relationship pairs, and the roundtable's conversations (written by the roundtable role).
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import {
  agents,
  type Agent,
  type ConversationFormat,
  type ConversationStatus,
  type MemoryType,
} from '@atc/contracts';
import { keysetPage, type KeysetPage, type TimeKey } from './keyset';

export interface AgentFiguresRow {
  readonly agent: Agent;
  readonly memories: number;
  readonly promotedMemories: number;
  readonly proposals: number;
  readonly approvedProposals: number;
  readonly conversations: number;
  readonly averageAffinity: string | null;
  readonly lastProposalAt: Date | null;
}

/** One row per agent, in the vocabulary's order. */
export async function selectAgentFigures(db: Queryable): Promise<AgentFiguresRow[]> {
  return queryRows<AgentFiguresRow>(
    db,
    `select a.agent,
            m.memories, m.promoted as "promotedMemories",
            p.proposals, p.approved as "approvedProposals", p.last_at as "lastProposalAt",
            c.conversations, r.average as "averageAffinity"
       from unnest($1::text[]) with ordinality as a(agent, n)
       -- each lateral count is served by an index leading with the agent (memories_agent_type_confidence_idx)
       -- or is over a small table (relationships: 15 rows)
       cross join lateral (
         select count(*)::int as memories, (count(*) filter (where promoted))::int as promoted
           from atc.memories where agent = a.agent) m
       cross join lateral (
         select count(*)::int as proposals, (count(*) filter (where status = 'approved'))::int as approved,
                max(created_at) as last_at
           from atc.proposals where agent = a.agent) p
       cross join lateral (
         select count(*)::int as conversations from atc.conversations where a.agent = any(participants)) c
       cross join lateral (
         select round(avg(affinity), 2)::text as average
           from atc.relationships where a.agent in (agent_a, agent_b)) r
      order by a.n`,
    [agents],
  );
}

export interface MemoryRow {
  readonly id: string;
  readonly agent: Agent;
  readonly type: MemoryType;
  readonly content: string;
  readonly confidence: string;
  readonly tags: string[];
  readonly promoted: boolean;
  readonly upvotes: number;
  readonly downvotes: number;
  readonly createdAt: Date;
  readonly sortKey: string;
}

/** An agent's memories, newest first, optionally of one type. */
export async function selectMemoriesPage(
  db: Queryable,
  query: { agent: Agent; type?: MemoryType; limit: number; after?: TimeKey },
): Promise<KeysetPage<MemoryRow, TimeKey>> {
  const rows = await queryRows<MemoryRow>(
    db,
    `select id, agent, type, content, confidence::text as confidence, tags, promoted, upvotes, downvotes,
            created_at as "createdAt", to_json(created_at) #>> '{}' as "sortKey"
       from atc.memories
      where agent = $1::text
        and ($2::text is null or type = $2::text)
        and ($3::timestamptz is null or (created_at, id) < ($3::timestamptz, $4::uuid))
      order by created_at desc, id desc
      limit $5::int`,
    [query.agent, query.type ?? null, query.after?.at ?? null, query.after?.id ?? null, query.limit + 1],
  );
  return keysetPage(rows, query.limit, (row) => ({ at: row.sortKey, id: row.id }));
}

export interface DriftEntry {
  readonly at: string;
  readonly delta: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly conversationId: string | null;
}

export interface RelationshipRow {
  readonly agentA: Agent;
  readonly agentB: Agent;
  readonly affinity: string;
  readonly totalInteractions: number;
  readonly drift: DriftEntry[];
  readonly lastInteractionAt: Date | null;
}

/** The 15 pairs (agent_a < agent_b), with the drift log the roundtable keeps (its last 50 changes). */
export async function selectRelationships(db: Queryable): Promise<RelationshipRow[]> {
  return queryRows<RelationshipRow>(
    db,
    `select agent_a as "agentA", agent_b as "agentB", affinity::text as affinity,
            total_interactions as "totalInteractions", drift_log as drift,
            last_interaction_at as "lastInteractionAt"
       from atc.relationships
      order by agent_a, agent_b`,
  );
}

export interface ConversationRow {
  readonly id: string;
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly participants: Agent[];
  readonly status: ConversationStatus;
  readonly proposalId: string | null;
  readonly stepId: string | null;
  readonly scheduledFor: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly createdAt: Date;
  readonly sortKey: string;
}

export interface ConversationDetailRow extends ConversationRow {
  readonly transcript: unknown;
  readonly outcome: unknown;
  readonly lastError: string | null;
}

const conversationColumns = `id, format, topic, participants, status, proposal_id as "proposalId",
  step_id as "stepId", scheduled_for as "scheduledFor", started_at as "startedAt",
  finished_at as "finishedAt", created_at as "createdAt", to_json(created_at) #>> '{}' as "sortKey"`;

/** Roundtable conversations, newest first, without their transcripts. */
export async function selectConversationsPage(
  db: Queryable,
  query: { format?: ConversationFormat; status?: ConversationStatus; limit: number; after?: TimeKey },
): Promise<KeysetPage<ConversationRow, TimeKey>> {
  const rows = await queryRows<ConversationRow>(
    db,
    `select ${conversationColumns}
       from atc.conversations
      where ($1::text is null or format = $1::text)
        and ($2::text is null or status = $2::text)
        and ($3::timestamptz is null or (created_at, id) < ($3::timestamptz, $4::uuid))
      order by created_at desc, id desc
      limit $5::int`,
    [
      query.format ?? null,
      query.status ?? null,
      query.after?.at ?? null,
      query.after?.id ?? null,
      query.limit + 1,
    ],
  );
  return keysetPage(rows, query.limit, (row) => ({ at: row.sortKey, id: row.id }));
}

export async function selectConversation(
  db: Queryable,
  id: string,
): Promise<ConversationDetailRow | undefined> {
  return queryOne<ConversationDetailRow>(
    db,
    // The turns as they are stored, so a running conversation's transcript grows live; a
    // conversation from before issue 19 has only its transcript column.
    `select ${conversationColumns},
            coalesce((select jsonb_agg(jsonb_build_object('turn', t.turn, 'agent', t.agent, 'stance', t.stance,
                                                          'line', t.text, 'voice', t.voice) order by t.turn)
                        from atc.conversation_turns t where t.conversation_id = c.id), c.transcript) as transcript,
            outcome, last_error as "lastError"
       from atc.conversations c where id = $1::uuid`,
    [id],
  );
}
