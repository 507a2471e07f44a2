import { queryOne, type Queryable } from '@atc/platform';
import type { Agent, MemoryType } from '@atc/contracts';

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
