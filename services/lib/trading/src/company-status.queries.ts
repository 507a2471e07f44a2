/**
 * The reads behind the company status (`atc status`, `GET /api/status`): each one statement, each served by an existing index.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';
import { heartbeatRunColumns, type HeartbeatRunView } from './heartbeat-runs.queries';

export interface OpenPositionStatus {
  readonly market: Market;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** Decimal strings. */
  readonly quantity: string;
  readonly averagePrice: string;
  readonly markPrice: string | null;
  readonly markedAt: Date | null;
  /** (mark − average) × quantity × multiplier, negated for shorts; null until the position is marked. */
  readonly unrealisedPnl: string | null;
  readonly openedAt: Date;
}

export async function selectOpenPositions(db: Queryable): Promise<OpenPositionStatus[]> {
  return queryRows<OpenPositionStatus>(
    db,
    `select market, symbol, side,
            quantity::text as quantity,
            average_price::text as "averagePrice",
            mark_price::text as "markPrice",
            marked_at as "markedAt",
            -- trim_scale: 102.50 → 102.5 (numeric multiplication adds scale)
            trim_scale((mark_price - average_price) * quantity * multiplier
              * case when side = 'long' then 1 else -1 end)::text as "unrealisedPnl",
            opened_at as "openedAt"
       from atc.positions
      -- served by positions_open_market_symbol_idx (partial: open positions only)
      where status = 'open'
      order by market, symbol`,
  );
}

export interface RealisedToday {
  readonly tradingDay: string;
  readonly timeZone: string;
  readonly market: Market | null;
  readonly realisedPnl: string;
}

/**
 * Realised P&L of today's fills by market (rollup row: market null = total), the day taken in the
 * calendar policy's time zone like the daily-loss gate. A range on filled_at, so fills_filled_at_idx serves it.
 */
export async function selectRealisedToday(db: Queryable, asOf: Date): Promise<RealisedToday[]> {
  return queryRows<RealisedToday>(
    db,
    `with calendar as (
       select coalesce((select value->>'timeZone' from atc.policies where key = 'calendar'), 'America/New_York') as tz
     ), day as (
       select tz, ($1::timestamptz at time zone tz)::date as d from calendar
     )
     select day.d::text as "tradingDay", day.tz as "timeZone", f.market,
            coalesce(sum(f.realised_pnl), 0)::text as "realisedPnl"
       from day
       left join atc.fills f
         on f.filled_at >= (day.d::timestamp at time zone day.tz)
        and f.filled_at < ((day.d + 1)::timestamp at time zone day.tz)
      group by day.d, day.tz, rollup (f.market)
      order by f.market nulls last`,
    [asOf],
  );
}

/** The last run of the heartbeat that did work. */
export type LastHeartbeat = HeartbeatRunView;

export async function selectLastHeartbeat(db: Queryable): Promise<LastHeartbeat | undefined> {
  return queryOne<LastHeartbeat>(
    db,
    `select ${heartbeatRunColumns}
       from atc.heartbeat_runs
      -- served by heartbeat_runs_started_at_idx; a skipped run (lease held elsewhere) did no work
      where status <> 'skipped'
      order by started_at desc
      limit 1`,
  );
}

export interface BreakerStatus {
  readonly venue: string;
  readonly reporter: string;
  readonly state: 'closed' | 'half_open' | 'open';
  readonly reportedAt: Date;
}

export async function selectBreakers(db: Queryable): Promise<BreakerStatus[]> {
  return queryRows<BreakerStatus>(
    db,
    `select venue, reporter, breaker_state as state, reported_at as "reportedAt"
       from atc.venue_health
      order by venue, reporter`,
  );
}

export interface ReconciliationBacklog {
  readonly count: number;
  readonly oldestSince: Date | null;
}

export async function selectReconciliationBacklog(db: Queryable): Promise<ReconciliationBacklog> {
  const row = await queryOne<ReconciliationBacklog>(
    db,
    `select count(*)::int as count, min(updated_at) as "oldestSince"
       from atc.steps
      -- the partial steps_unfinished_idx holds exactly the unfinished steps, so finished ones are never read
      where status = 'needs_reconciliation'`,
  );
  return row ?? { count: 0, oldestSince: null };
}

export interface WorkerSeen {
  readonly worker: string;
  readonly markets: string[];
  /** Steps it holds a lease on now. */
  readonly steps: number;
  /** Its latest lease expiry: a worker that stopped renewing is seen until then. */
  readonly leaseExpiresAt: Date;
}

/**
 * The workers seen now: each lease owner of a running or executing step (a lease is renewed while its
 * worker lives, so these are the workers at work). Served by the partial steps_unfinished_idx.
 */
export async function selectWorkersSeen(db: Queryable): Promise<WorkerSeen[]> {
  return queryRows<WorkerSeen>(
    db,
    `select lease_owner as worker,
            array_agg(distinct coalesce(market::text, 'none') order by coalesce(market::text, 'none')) as markets,
            count(*)::int as steps, max(lease_expires_at) as "leaseExpiresAt"
       from atc.steps
      where status in ('running', 'executing') and lease_owner is not null
      group by lease_owner
      order by lease_owner`,
  );
}
