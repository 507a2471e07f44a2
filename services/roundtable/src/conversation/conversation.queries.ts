/**
 * The conversation engine's SQL: the conversation row (its plan and status), its turns and votes,
 * the relationships it drifts and the memories a speaker recalls.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, ConversationFormat, MemoryType } from '@atc/contracts';
import type { TurnStance, VoiceKind, VoiceUsage } from '../voices/agent-voice';
import type { AffinityMap } from './speaker-choice';

export interface ConversationPlan {
  readonly participants: readonly Agent[];
  readonly plannedTurns: number;
  /** The participants' pair affinities when it started: speakers are chosen from these. */
  readonly affinities: AffinityMap;
  readonly convener: Agent;
}

export interface StoredConversation {
  readonly id: string;
  readonly status: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly plan: ConversationPlan;
  readonly outcome: Record<string, unknown> | null;
}

/**
 * Starts the step's conversation `running` with its plan; a second start (a retry, a resume, a
 * racing attempt) inserts nothing (conversations_step_id_key). Returns the new id, or undefined.
 */
export async function insertRunningConversation(
  db: Queryable,
  c: {
    stepId: string;
    proposalId: string;
    format: ConversationFormat;
    topic: string;
    plan: ConversationPlan;
    at: Date;
  },
): Promise<string | undefined> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.conversations (format, topic, participants, status, proposal_id, step_id, planned_turns,
                                    plan, scheduled_for, started_at)
     values ($1::text, $2::text, $3::text[], 'running', $4::uuid, $5::uuid, $6::int, $7::jsonb,
             $8::timestamptz, $8::timestamptz)
     on conflict (step_id) where step_id is not null do nothing
     returning id`,
    [
      c.format,
      c.topic,
      c.plan.participants,
      c.proposalId,
      c.stepId,
      c.plan.plannedTurns,
      JSON.stringify(c.plan),
      c.at,
    ],
  );
  return row?.id;
}

const conversationColumns = `id, status, format, topic, plan, outcome`;

export async function selectStepConversation(
  db: Queryable,
  stepId: string,
): Promise<StoredConversation | undefined> {
  return queryOne<StoredConversation>(
    db,
    `select ${conversationColumns} from atc.conversations where step_id = $1::uuid`,
    [stepId],
  );
}

/** The conversation, its row locked until the transaction ends: the final part runs once. */
export async function lockConversation(db: Queryable, id: string): Promise<StoredConversation> {
  const row = await queryOne<StoredConversation>(
    db,
    `select ${conversationColumns} from atc.conversations where id = $1::uuid for update`,
    [id],
  );
  if (!row) throw new Error(`conversation ${id} does not exist`);
  return row;
}

export interface StoredTurn {
  readonly turn: number;
  readonly agent: Agent;
  readonly text: string;
  readonly stance: TurnStance;
  readonly voice: VoiceKind;
  readonly promptVersion: string;
}

export async function selectTurns(db: Queryable, conversationId: string): Promise<StoredTurn[]> {
  return queryRows<StoredTurn>(
    db,
    `select turn, agent, text, stance, voice, prompt_version as "promptVersion"
       from atc.conversation_turns where conversation_id = $1::uuid order by turn`,
    [conversationId],
  );
}

export interface NewTurn {
  readonly conversationId: string;
  readonly turn: number;
  readonly agent: Agent;
  readonly text: string;
  readonly stance: TurnStance;
  readonly voice: VoiceKind;
  readonly promptVersion: string;
  readonly usage: VoiceUsage | null;
  readonly fallbackReason: string | null;
  readonly at: Date;
}

/**
 * Stores turn n only if turns 1..n−1 are there and n is not: a resumed or racing attempt that
 * spoke the same turn inserts nothing (primary key), and no turn is ever skipped. True if inserted.
 */
export async function insertTurn(db: Queryable, t: NewTurn): Promise<boolean> {
  const result = await db.query(
    `insert into atc.conversation_turns (conversation_id, turn, agent, text, stance, voice, prompt_version, usage,
                                         fallback_reason, created_at)
     select $1::uuid, $2::int, $3::text, $4::text, $5::text, $6::text, $7::text, $8::jsonb, $9::text, $10::timestamptz
      where (select count(*) from atc.conversation_turns where conversation_id = $1::uuid) = $2::int - 1
     on conflict (conversation_id, turn) do nothing`,
    [
      t.conversationId,
      t.turn,
      t.agent,
      t.text,
      t.stance,
      t.voice,
      t.promptVersion,
      t.usage === null ? null : JSON.stringify(t.usage),
      t.fallbackReason,
      t.at,
    ],
  );
  return result.rowCount === 1;
}

/** The affinity of every pair among `agents`, keyed `a|b`. */
export async function selectAffinities(db: Queryable, agents: readonly Agent[]): Promise<AffinityMap> {
  const rows = await queryRows<{ key: string; affinity: string }>(
    db,
    `select agent_a || '|' || agent_b as key, affinity::text as affinity
       from atc.relationships where agent_a = any($1::text[]) and agent_b = any($1::text[])`,
    [agents],
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.affinity)]));
}

/** The pairs' rows locked for this transaction: concurrent conversations drift them one at a time. */
export async function lockAffinities(db: Queryable, agents: readonly Agent[]): Promise<AffinityMap> {
  const rows = await queryRows<{ key: string; affinity: string }>(
    db,
    `select agent_a || '|' || agent_b as key, affinity::text as affinity
       from atc.relationships where agent_a = any($1::text[]) and agent_b = any($1::text[])
      order by agent_a, agent_b
        for update`,
    [agents],
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.affinity)]));
}

export interface RelationshipUpdate {
  readonly agentA: Agent;
  readonly agentB: Agent;
  /** Two decimals. */
  readonly from: string;
  readonly to: string;
  readonly delta: string;
  readonly interactions: number;
  readonly reason: string;
}

/** Writes the new affinities, adds the interactions and appends to drift_log (the last 50 kept). */
export async function updateRelationships(
  db: Queryable,
  options: { updates: readonly RelationshipUpdate[]; conversationId: string; at: Date },
): Promise<void> {
  if (options.updates.length === 0) return;
  await db.query(
    `with u as (
       select * from jsonb_to_recordset($1::jsonb)
         as u("agentA" text, "agentB" text, "from" text, "to" text, delta text, interactions int, reason text))
     update atc.relationships r
        set affinity = u."to"::numeric,
            total_interactions = r.total_interactions + u.interactions,
            -- A pair whose affinity did not move gets its interactions counted but no log entry.
            drift_log = case when u.delta::numeric = 0 then r.drift_log else coalesce((select jsonb_agg(e order by n)
                                    from jsonb_array_elements(r.drift_log || jsonb_build_array(jsonb_build_object(
                                           'at', $3::timestamptz, 'delta', u.delta, 'reason', u.reason,
                                           'conversationId', $2::text, 'from', u."from", 'to', u."to")))
                                         with ordinality as l(e, n)
                                   where n > jsonb_array_length(r.drift_log) + 1 - 50), '[]'::jsonb) end,
            last_interaction_at = case when u.interactions > 0 then $3::timestamptz else r.last_interaction_at end,
            updated_at = $3::timestamptz
       from u
      where r.agent_a = u."agentA" and r.agent_b = u."agentB"`,
    [JSON.stringify(options.updates), options.conversationId, options.at],
  );
}

export interface StoredVote {
  readonly agent: Agent;
  readonly vote: 'support' | 'oppose' | 'abstain';
  /** Two decimals. */
  readonly confidence: string;
  readonly reason: string;
  readonly voice: VoiceKind;
  readonly promptVersion: string;
  readonly usage: VoiceUsage | null;
}

/** Inserts the votes not yet stored; returns the agents whose vote this call inserted. */
export async function insertVotes(
  db: Queryable,
  conversationId: string,
  votes: readonly StoredVote[],
  at: Date,
): Promise<Agent[]> {
  const rows = await queryRows<{ agent: Agent }>(
    db,
    `insert into atc.conversation_votes (conversation_id, agent, vote, confidence, reason, voice, prompt_version,
                                         usage, created_at)
     select $1::uuid, v.agent, v.vote, v.confidence::numeric, v.reason, v.voice, v."promptVersion", v.usage, $3::timestamptz
       from jsonb_to_recordset($2::jsonb)
         as v(agent text, vote text, confidence text, reason text, voice text, "promptVersion" text, usage jsonb)
     on conflict (conversation_id, agent) do nothing
     returning agent`,
    [conversationId, JSON.stringify(votes), at],
  );
  return rows.map((r) => r.agent);
}

export async function finishConversation(
  db: Queryable,
  options: { id: string; transcript: unknown; outcome: unknown; at: Date },
): Promise<void> {
  await db.query(
    `update atc.conversations
        set status = 'succeeded', transcript = $2::jsonb, outcome = $3::jsonb, finished_at = $4::timestamptz
      where id = $1::uuid`,
    [options.id, JSON.stringify(options.transcript), JSON.stringify(options.outcome), options.at],
  );
}

export interface SpeakerMemory {
  readonly type: MemoryType;
  readonly content: string;
  readonly confidence: string;
  readonly tags: string[];
  readonly promoted: boolean;
  readonly createdAt: Date;
}

/** An agent's newest memories (memories_agent_type_confidence_idx narrows by agent). */
export async function selectSpeakerMemories(
  db: Queryable,
  agent: Agent,
  limit: number,
): Promise<SpeakerMemory[]> {
  return queryRows<SpeakerMemory>(
    db,
    `select type, content, confidence::text as confidence, tags, promoted, created_at as "createdAt"
       from atc.memories where agent = $1::text order by created_at desc limit $2::int`,
    [agent, limit],
  );
}
