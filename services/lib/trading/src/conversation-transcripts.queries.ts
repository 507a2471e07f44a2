/**
 * A roundtable conversation as an operator reads it (`atc roundtable list|show`): its turns as they
 * were stored (services/roundtable writes one row per turn as it is said), its votes and the
 * memories it left. The outcome (decision, drift, action items and their proposals) is the
 * conversation's `outcome` column.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, ConversationFormat, ConversationStatus, MemoryType } from '@atc/contracts';

export interface ConversationListRow {
  readonly id: string;
  readonly format: ConversationFormat;
  readonly status: ConversationStatus;
  readonly topic: string;
  readonly participants: Agent[];
  readonly plannedTurns: number | null;
  readonly turns: number;
  readonly consensus: string | null;
  readonly createdAt: Date;
}

/** The newest conversations (conversations_status_scheduled_for_idx does not serve this; the table is small). */
export async function selectConversationList(
  db: Queryable,
  query: { limit: number; format?: ConversationFormat },
): Promise<ConversationListRow[]> {
  return queryRows<ConversationListRow>(
    db,
    `select c.id, c.format, c.status, c.topic, c.participants, c.planned_turns as "plannedTurns",
            (select count(*)::int from atc.conversation_turns t where t.conversation_id = c.id) as turns,
            c.outcome ->> 'consensus' as consensus, c.created_at as "createdAt"
       from atc.conversations c
      where $1::text is null or c.format = $1::text
      order by c.created_at desc, c.id desc
      limit $2::int`,
    [query.format ?? null, query.limit],
  );
}

export interface ConversationHeader extends Omit<ConversationListRow, 'turns' | 'consensus'> {
  readonly stepId: string | null;
  readonly proposalId: string | null;
  readonly outcome: Record<string, unknown> | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export async function selectConversationHeader(
  db: Queryable,
  id: string,
): Promise<ConversationHeader | undefined> {
  return queryOne<ConversationHeader>(
    db,
    `select id, format, status, topic, participants, planned_turns as "plannedTurns", step_id as "stepId",
            proposal_id as "proposalId", outcome, started_at as "startedAt", finished_at as "finishedAt",
            created_at as "createdAt"
       from atc.conversations where id = $1::uuid`,
    [id],
  );
}

export interface TranscriptTurnRow {
  readonly turn: number;
  readonly agent: Agent;
  readonly text: string;
  readonly stance: string;
  readonly voice: string;
  readonly promptVersion: string;
  readonly fallbackReason: string | null;
  readonly createdAt: Date;
}

/** Every stored turn, in order (the primary key (conversation_id, turn) serves it). */
export async function selectConversationTurns(db: Queryable, id: string): Promise<TranscriptTurnRow[]> {
  return queryRows<TranscriptTurnRow>(
    db,
    `select turn, agent, text, stance, voice, prompt_version as "promptVersion",
            fallback_reason as "fallbackReason", created_at as "createdAt"
       from atc.conversation_turns where conversation_id = $1::uuid order by turn`,
    [id],
  );
}

export interface ConversationVoteRow {
  readonly agent: Agent;
  readonly vote: string;
  readonly confidence: string;
  readonly reason: string;
  readonly voice: string;
}

export async function selectConversationVotes(db: Queryable, id: string): Promise<ConversationVoteRow[]> {
  return queryRows<ConversationVoteRow>(
    db,
    `select agent, vote, confidence::text as confidence, reason, voice
       from atc.conversation_votes where conversation_id = $1::uuid order by agent`,
    [id],
  );
}

export interface ConversationMemoryRow {
  readonly id: string;
  readonly agent: Agent;
  readonly type: MemoryType;
  readonly confidence: string;
  readonly content: string;
}

/** The memories keyed `conversation:<id>:<n>` (how the roundtable keys a conversation's memories). */
export async function selectConversationMemories(
  db: Queryable,
  id: string,
): Promise<ConversationMemoryRow[]> {
  return queryRows<ConversationMemoryRow>(
    db,
    `select id, agent, type, confidence::text as confidence, content
       from atc.memories where source_trace_id like 'conversation:' || $1::text || ':%'
      order by source_trace_id`,
    [id],
  );
}
