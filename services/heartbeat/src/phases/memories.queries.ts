import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, Market, MemoryType, OutcomeType } from '@atc/contracts';

export interface PromotedMemory {
  readonly id: string;
  readonly agent: Agent;
  readonly confidence: string;
}

/**
 * Promotes up to `limit` memories: confidence at least 0.80, or net upvotes of 3 or more at
 * confidence 0.60 or more. memories_unpromoted_idx holds only unpromoted rows, in confidence order.
 */
export async function promoteMemories(db: Queryable, limit: number): Promise<PromotedMemory[]> {
  return queryRows<PromotedMemory>(
    db,
    `with batch as (
       select id from atc.memories
        where not promoted
          and (confidence >= 0.80 or (upvotes - downvotes >= 3 and confidence >= 0.60))
        order by confidence desc
        limit $1::int
        for update skip locked)
     update atc.memories m set promoted = true
       from batch where m.id = batch.id
     returning m.id, m.agent, m.confidence::text as confidence`,
    [limit],
  );
}

export interface UnlearnedOutcome {
  readonly id: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly outcomeType: OutcomeType;
  readonly pnlFraction: string;
  readonly realisedPnl: string;
  readonly holdSeconds: number;
  /** The agent whose proposal opened the position; null when it cannot be traced. */
  readonly proposer: Agent | null;
}

/**
 * Claims outcomes not learned from yet (outcomes_unlearned_idx), marking them learned in the same
 * statement; skip locked so two runs split them. The proposer is traced from the position's first
 * fill to its order, step, mission and proposal.
 */
export async function claimUnlearnedOutcomes(
  db: Queryable,
  limit: number,
  at: Date,
): Promise<UnlearnedOutcome[]> {
  return queryRows<UnlearnedOutcome>(
    db,
    `with batch as (
       select id from atc.outcomes where learned_at is null order by closed_at limit $1::int for update skip locked),
     claimed as (
       update atc.outcomes o set learned_at = $2::timestamptz from batch where o.id = batch.id
       returning o.id, o.position_id, o.market, o.symbol, o.side, o.outcome_type, o.pnl_fraction, o.realised_pnl,
                 o.hold_seconds, o.closed_at)
     select c.id, c.market, c.symbol, c.side, c.outcome_type as "outcomeType", c.pnl_fraction::text as "pnlFraction",
            c.realised_pnl::text as "realisedPnl", c.hold_seconds as "holdSeconds", entry.agent as proposer
       from claimed c
       left join lateral (
         select p.agent from atc.fills f
           join atc.orders ord on ord.id = f.order_id
           join atc.steps s on s.id = ord.step_id
           join atc.missions mi on mi.id = s.mission_id
           join atc.proposals p on p.id = mi.proposal_id
          where f.position_id = c.position_id -- fills_position_id_idx
          order by f.filled_at
          limit 1) entry on true
      order by c.closed_at`,
    [limit, at],
  );
}

export interface NewMemory {
  readonly agent: Agent;
  readonly type: MemoryType;
  readonly content: string;
  readonly confidence: number;
  readonly tags: string[];
  readonly sourceTraceId: string;
  readonly metadata: Record<string, unknown>;
}

/** Inserts many memories; one per (agent, source) — a replay inserts nothing. */
export async function insertMemories(
  db: Queryable,
  memories: readonly NewMemory[],
): Promise<{ id: string; agent: Agent; type: MemoryType; sourceTraceId: string }[]> {
  if (memories.length === 0) return [];
  return queryRows(
    db,
    `insert into atc.memories (agent, type, content, confidence, tags, source_trace_id, metadata)
     select m.agent, m.type, m.content, m.confidence, array(select jsonb_array_elements_text(m.tags)),
            m."sourceTraceId", m.metadata
       from jsonb_to_recordset($1::jsonb)
         as m(agent text, type text, content text, confidence numeric, tags jsonb, "sourceTraceId" text, metadata jsonb)
     on conflict (agent, source_trace_id) where source_trace_id is not null do nothing
     returning id, agent, type, source_trace_id as "sourceTraceId"`,
    [JSON.stringify(memories)],
  );
}

/** The last `count` outcomes overall, newest first (outcomes_closed_at_idx). */
export async function selectLatestOutcomeTypes(
  db: Queryable,
  count: number,
): Promise<{ id: string; outcomeType: OutcomeType }[]> {
  return queryRows(
    db,
    `select id, outcome_type as "outcomeType" from atc.outcomes order by closed_at desc limit $1::int`,
    [count],
  );
}

export interface SystemHealth {
  readonly needsReconciliation: number;
  readonly failedLastHour: number;
}

export async function selectSystemHealth(db: Queryable, now: Date): Promise<SystemHealth> {
  const row = await queryOne<SystemHealth>(
    db,
    `select (select count(*)::int from atc.steps
              where status = 'needs_reconciliation') as "needsReconciliation", -- steps_unfinished_idx
            (select count(*)::int from atc.steps
              where status in ('failed', 'dead') -- steps_failed_finished_at_idx
                and finished_at > $1::timestamptz - interval '1 hour') as "failedLastHour"`,
    [now],
  );
  return row!;
}
