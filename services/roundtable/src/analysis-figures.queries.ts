import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

/** One instrument's samples over a window: where it started and ended, and its range. */
export interface InstrumentMove {
  readonly market: Market;
  readonly instrument: string;
  readonly samples: number;
  readonly first: string;
  readonly last: string;
  readonly low: string;
  readonly high: string;
}

/**
 * Per instrument (of one market, or all when null): the first and last sample since `since`, and the
 * low and high between them. Bounded by `limit` instruments, most sampled first.
 */
export async function selectInstrumentMoves(
  db: Queryable,
  options: { market: Market | null; since: Date; limit: number },
): Promise<InstrumentMove[]> {
  return queryRows<InstrumentMove>(
    db,
    `select market, instrument, count(*)::int as samples,
            (array_agg(last order by sampled_at, id))[1]::text as first,
            (array_agg(last order by sampled_at desc, id desc))[1]::text as last,
            min(last)::text as low, max(last)::text as high
       from atc.price_samples
      where sampled_at >= $1::timestamptz
        and ($2::text is null or market = $2::text)
      group by market, instrument
      order by count(*) desc, market, instrument
      limit $3::int`,
    [options.since, options.market, options.limit],
  );
}

export interface OutcomeTotals {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly realisedPnl: string;
  readonly winnersPnl: string;
  readonly losersPnl: string;
}

/** Outcomes closed since `since` (of one market, or all): counts and P&L sums, as decimal text. */
export async function selectOutcomeTotals(
  db: Queryable,
  options: { market: Market | null; since: Date },
): Promise<OutcomeTotals> {
  const row = await queryOne<OutcomeTotals>(
    db,
    `select count(*)::int as trades,
            count(*) filter (where outcome_type = 'win')::int as wins,
            count(*) filter (where outcome_type = 'loss')::int as losses,
            coalesce(sum(realised_pnl), 0)::text as "realisedPnl",
            coalesce(sum(realised_pnl) filter (where outcome_type = 'win'), 0)::text as "winnersPnl",
            coalesce(sum(realised_pnl) filter (where outcome_type = 'loss'), 0)::text as "losersPnl"
       from atc.outcomes
      where closed_at >= $1::timestamptz -- outcomes_closed_at_idx
        and ($2::text is null or market = $2::text)`,
    [options.since, options.market],
  );
  return row!;
}

export interface OperationsFigures {
  readonly heartbeatRuns: number;
  readonly heartbeatFailures: number;
  readonly queuedSteps: number;
  readonly runningSteps: number;
  readonly needsReconciliation: number;
  readonly failedSteps: number;
}

/** Heartbeat runs and failures since `since`, queue depth now, and steps failed since `since`. */
export async function selectOperationsFigures(db: Queryable, since: Date): Promise<OperationsFigures> {
  const row = await queryOne<OperationsFigures>(
    db,
    `select (select count(*)::int from atc.heartbeat_runs
              where started_at >= $1::timestamptz and status <> 'skipped') as "heartbeatRuns",
            (select count(*)::int from atc.heartbeat_runs
              where started_at >= $1::timestamptz and status in ('partial_failure', 'failure')) as "heartbeatFailures",
            (select count(*)::int from atc.steps where status = 'queued') as "queuedSteps",
            (select count(*)::int from atc.steps where status in ('running', 'executing')) as "runningSteps",
            (select count(*)::int from atc.steps where status = 'needs_reconciliation') as "needsReconciliation",
            (select count(*)::int from atc.steps
              where status in ('failed', 'dead') and finished_at >= $1::timestamptz) as "failedSteps"`,
    [since],
  );
  return row!;
}

/** Realised P&L of the fills of one trading day in the policy's zone (a range, so the index serves it). */
export async function selectRealisedPnlOnDay(
  db: Queryable,
  timeZone: string,
  tradingDay: string,
): Promise<string> {
  const row = await queryOne<{ pnl: string }>(
    db,
    `select coalesce(sum(realised_pnl), 0)::text as pnl
       from atc.fills
      where filled_at >= ($2::date::timestamp at time zone $1::text)
        and filled_at < (($2::date + 1)::timestamp at time zone $1::text)`,
    [timeZone, tradingDay],
  );
  return row!.pnl;
}
