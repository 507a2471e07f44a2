import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, ConversationFormat, MemoryType } from '@atc/contracts';

/** The agent whose proposal made the step's mission (steps → missions → proposals). */
export async function selectStepProposer(
  db: Queryable,
  stepId: string,
): Promise<{ agent: Agent; proposalId: string } | undefined> {
  return queryOne<{ agent: Agent; proposalId: string }>(
    db,
    `select p.agent, p.id as "proposalId"
       from atc.steps s
       join atc.missions m on m.id = s.mission_id
       join atc.proposals p on p.id = m.proposal_id
      where s.id = $1::uuid`,
    [stepId],
  );
}

/**
 * Serialises the work of one step across attempts: a retry that overlaps a slow first attempt
 * (lease lost, then taken over) waits here and then finds the first attempt's memory.
 * Transaction-scoped, so it is released by commit or rollback.
 */
export async function lockStepWork(db: Queryable, stepId: string): Promise<void> {
  await db.query(`select pg_advisory_xact_lock(hashtextextended('atc.agent_step:' || $1::text, 0))`, [
    stepId,
  ]);
}

/** The memory a step already wrote for `agent` (memories_agent_source_trace_id_idx), if any. */
export async function selectStepMemory(
  db: Queryable,
  agent: Agent,
  stepId: string,
): Promise<{ id: string; metadata: Record<string, unknown> } | undefined> {
  return queryOne<{ id: string; metadata: Record<string, unknown> }>(
    db,
    `select id, metadata from atc.memories where agent = $1::text and source_trace_id = $2::text`,
    [agent, stepId],
  );
}

export interface NewMemory {
  readonly agent: Agent;
  readonly type: MemoryType;
  readonly content: string;
  /** Two decimals, 0.00–1.00. */
  readonly confidence: string;
  readonly tags: readonly string[];
  readonly sourceTraceId: string;
  readonly metadata: Record<string, unknown>;
}

/** Inserts one memory; a second insert for the same (agent, source) inserts nothing and returns undefined. */
export async function insertMemory(db: Queryable, memory: NewMemory): Promise<string | undefined> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.memories (agent, type, content, confidence, tags, source_trace_id, metadata)
     values ($1::text, $2::text, $3::text, $4::numeric, $5::text[], $6::text, $7::jsonb)
     on conflict (agent, source_trace_id) where source_trace_id is not null do nothing
     returning id`,
    [
      memory.agent,
      memory.type,
      memory.content,
      memory.confidence,
      memory.tags,
      memory.sourceTraceId,
      JSON.stringify(memory.metadata),
    ],
  );
  return row?.id;
}

export interface FinishedConversation {
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly participants: readonly Agent[];
  readonly proposalId: string;
  readonly stepId: string;
  readonly transcript: unknown;
  readonly outcome: unknown;
  readonly at: Date;
}

/** Records a conversation that already ran to its end (a deterministic roundtable has no middle). */
export async function insertFinishedConversation(db: Queryable, c: FinishedConversation): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.conversations (format, topic, participants, status, proposal_id, step_id, transcript, outcome,
                                    scheduled_for, started_at, finished_at)
     values ($1::text, $2::text, $3::text[], 'succeeded', $4::uuid, $5::uuid, $6::jsonb, $7::jsonb,
             $8::timestamptz, $8::timestamptz, $8::timestamptz)
     returning id`,
    [
      c.format,
      c.topic,
      c.participants,
      c.proposalId,
      c.stepId,
      JSON.stringify(c.transcript),
      JSON.stringify(c.outcome),
      c.at,
    ],
  );
  return row!.id;
}

export interface AffinityChange {
  readonly agentA: Agent;
  readonly agentB: Agent;
  /** Signed, decimal text. */
  readonly delta: string;
  readonly reason: string;
}

/**
 * Applies signed affinity changes to existing pairs, clamped to [min, max], appending each change to
 * the pair's drift_log (the last 50 entries kept). Returns the new affinities.
 */
export async function applyAffinityDrift(
  db: Queryable,
  options: {
    changes: readonly AffinityChange[];
    min: string;
    max: string;
    conversationId: string;
    at: Date;
  },
): Promise<{ agentA: Agent; agentB: Agent; affinity: string }[]> {
  if (options.changes.length === 0) return [];
  return queryRows(
    db,
    `with changes as (
       select c."agentA" as agent_a, c."agentB" as agent_b, c.delta, c.reason
         from jsonb_to_recordset($1::jsonb) as c("agentA" text, "agentB" text, delta numeric, reason text))
     update atc.relationships r
        set affinity = least($3::numeric, greatest($2::numeric, r.affinity + c.delta)),
            total_interactions = r.total_interactions + 1,
            drift_log = coalesce((select jsonb_agg(e order by n)
                                    from jsonb_array_elements(r.drift_log || jsonb_build_array(jsonb_build_object(
                                           'at', $5::timestamptz, 'delta', c.delta::text, 'reason', c.reason,
                                           'conversationId', $4::text,
                                           'from', r.affinity::text,
                                           'to', least($3::numeric, greatest($2::numeric, r.affinity + c.delta))::text)))
                                         with ordinality as l(e, n)
                                   where n > jsonb_array_length(r.drift_log) + 1 - 50), '[]'::jsonb),
            last_interaction_at = $5::timestamptz,
            updated_at = $5::timestamptz
       from changes c
      where r.agent_a = c.agent_a and r.agent_b = c.agent_b
     returning r.agent_a as "agentA", r.agent_b as "agentB", r.affinity::text as affinity`,
    [JSON.stringify(options.changes), options.min, options.max, options.conversationId, options.at],
  );
}
