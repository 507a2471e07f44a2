/**
 * The reads behind the business metrics the dashboard exports (docs/operations/metrics.md): each one
 * statement, each served by an index at the benchmark's scale (business-metrics.plans.int.test.ts).
 * Reads shared with `atc status` (open positions, today's realised P&L, the policies) are not
 * repeated here: the snapshot (business-metrics.ts) calls them where they live.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

export interface LastSucceededRun {
  readonly finishedAt: Date;
  readonly durationMs: number;
  /** `heartbeat_runs.phases` as the runner wrote it: `{ name, status, durationMs, summary? }[]`. */
  readonly phases: unknown;
}

/** The newest run that succeeded in full (every phase), or undefined when none has. */
export async function selectLastSucceededRun(db: Queryable): Promise<LastSucceededRun | undefined> {
  return queryOne<LastSucceededRun>(
    db,
    `select finished_at as "finishedAt", duration_ms as "durationMs", phases
       from atc.heartbeat_runs
      -- heartbeat_runs_started_at_idx read from the newest run back, stopping at the first success
      where status = 'success' and finished_at is not null
      order by started_at desc
      limit 1`,
  );
}

export type HeartbeatOutcome = 'succeeded' | 'failed' | 'skipped';

/** Finished runs started at or after `since`, by outcome (partial failures count as failed). */
export async function selectHeartbeatRunsSince(
  db: Queryable,
  since: Date,
): Promise<{ outcome: HeartbeatOutcome; count: number }[]> {
  return queryRows(
    db,
    `select case status when 'success' then 'succeeded' when 'skipped' then 'skipped' else 'failed' end as outcome,
            count(*)::int as count
       from atc.heartbeat_runs
      -- a range on heartbeat_runs_started_at_idx: one hour of runs, whatever the table holds
      where started_at >= $1::timestamptz and status <> 'running'
      group by 1`,
    [since],
  );
}

export interface QueueFigures {
  readonly market: Market | null;
  readonly status: 'queued' | 'running' | 'executing' | 'needs_reconciliation';
  readonly count: number;
  /** Queued rows only: the earliest `run_after` already due at `asOf` (a step in backoff is not waiting). */
  readonly oldestDueAt: Date | null;
  /** When the oldest row entered its status (`updated_at` is stamped by every transition). */
  readonly oldestSince: Date;
}

/** Unfinished steps by market and status, with the oldest of each. */
export async function selectQueueFigures(db: Queryable, asOf: Date): Promise<QueueFigures[]> {
  return queryRows<QueueFigures>(
    db,
    `select market, status, count(*)::int as count,
            min(run_after) filter (where status = 'queued' and run_after <= $1::timestamptz) as "oldestDueAt",
            min(updated_at) as "oldestSince"
       from atc.steps
      -- the partial steps_unfinished_idx holds exactly these statuses: finished steps are never read
      where status in ('queued', 'running', 'executing', 'needs_reconciliation')
      group by market, status`,
    [asOf],
  );
}

export type TradeExecutionResult = 'filled' | 'rejected' | 'failed' | 'needs_reconciliation';

/**
 * Orders created at or after `since` whose execution has a result, by market and result — the
 * database's view of what workers count in `atc_trade_executions_total`: anything filled is filled;
 * an unknown outcome waits for reconciliation; a request that provably never reached the venue
 * ('not sent: …', retried by the worker) failed; anything else refused or cancelled was rejected.
 * Orders still working (intent, submitted, accepted with nothing filled) have no result yet.
 */
export async function selectTradeExecutionsSince(
  db: Queryable,
  since: Date,
): Promise<{ market: Market; result: TradeExecutionResult; count: number }[]> {
  return queryRows(
    db,
    `select market,
            case when filled_quantity > 0 then 'filled'
                 when status = 'unknown' then 'needs_reconciliation'
                 when status = 'rejected' and last_error like 'not sent:%' then 'failed'
                 else 'rejected' end as result,
            count(*)::int as count
       from atc.orders
      -- a range on orders_created_at_idx (migration 0016): the last hour, not every order ever placed
      where created_at >= $1::timestamptz
        and (filled_quantity > 0 or status in ('rejected', 'cancelled', 'unknown'))
      group by 1, 2`,
    [since],
  );
}
