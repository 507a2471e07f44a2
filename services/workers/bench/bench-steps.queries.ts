/**
 * The benchmark's own SQL against the trading schema: a clean slate before each configuration, the
 * backlog it drains, and the count of what did not finish. Nothing here is used by the product.
 * @module
 */
import { queryOne, type Queryable } from '@atc/platform';

/** Empties the queue tables (the server is a throwaway one) so every configuration starts alike. */
export async function truncateQueueTables(db: Queryable): Promise<void> {
  await db.query('truncate atc.steps, atc.missions, atc.proposals, atc.events cascade');
}

export interface BenchBacklog {
  /** Tells this run's proposals apart (source_trace_id is unique). */
  readonly runId: string;
  readonly missions: number;
  readonly stepsPerMission: number;
}

/**
 * Approved proposals, one mission each, and `stepsPerMission` queued `execute_trade` steps per
 * mission, in one statement. Sibling steps share `run_after` and sit next to each other, so
 * concurrent workers claim siblings together and their roll-ups queue on the same mission row —
 * the contention a real multi-leg mission produces.
 */
export async function insertBacklog(db: Queryable, backlog: BenchBacklog): Promise<number> {
  const row = await queryOne<{ steps: number }>(
    db,
    `with proposal as (
       insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
       select 'operator', $1::text || '-' || g, 'atlas', 'queue benchmark', 0.9, '{}'::jsonb, repeat('0', 64),
              'approved'
         from generate_series(1, $2::int) as g
       returning id
     ),
     mission as (
       insert into atc.missions (proposal_id, title)
       select id, 'queue benchmark' from proposal
       returning id
     ),
     step as (
       insert into atc.steps (mission_id, seq, kind, market, payload)
       select mission.id, leg.seq, 'execute_trade', 'crypto',
              jsonb_build_object('kind', 'execute_trade', 'market', 'crypto', 'symbol', 'BTC-USD',
                                 'side', 'buy', 'quantity', '0.01', 'leg', leg.seq)
         from mission
        cross join generate_series(0, $3::int - 1) as leg(seq)
        -- A mission's legs one after the other, as createMission inserts them (without the order,
        -- the join laid out every mission's first leg, then every second leg, and so on)
        order by mission.id, leg.seq
       returning id
     )
     select count(*)::int as steps from step`,
    [backlog.runId, backlog.missions, backlog.stepsPerMission],
  );
  return row?.steps ?? 0;
}

/** Steps of the backlog that never reached `succeeded`. */
export async function countUnfinishedSteps(db: Queryable): Promise<number> {
  const row = await queryOne<{ n: number }>(
    db,
    `select count(*)::int as n from atc.steps where status <> 'succeeded'`,
  );
  return row?.n ?? 0;
}
