/**
 * The operator's reads of positions, their outcomes and the daily realised P&L series.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, OutcomeType, PositionSide } from '@atc/contracts';
import { type KeysetPage, type KeysetRequest, type TimeKey, timeKeyedPage } from './keyset';

export interface PositionView {
  readonly id: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: PositionSide;
  readonly status: 'open' | 'closed';
  readonly quantity: string;
  readonly averagePrice: string;
  readonly multiplier: string;
  readonly realisedPnl: string;
  readonly markPrice: string | null;
  readonly markedAt: Date | null;
  readonly unrealisedPnl: string | null;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
}

export interface OutcomeView {
  readonly id: string;
  readonly outcomeType: OutcomeType;
  readonly quantity: string;
  readonly entryPrice: string;
  readonly exitPrice: string;
  readonly realisedPnl: string;
  readonly pnlFraction: string;
  readonly holdSeconds: number;
  readonly closedAt: Date;
}

const positionColumns = `p.id, p.market, p.symbol, p.side, p.status, p.quantity::text as quantity,
  p.average_price::text as "averagePrice", p.multiplier::text as multiplier,
  p.realised_pnl::text as "realisedPnl", p.mark_price::text as "markPrice", p.marked_at as "markedAt",
  p.unrealised_pnl::text as "unrealisedPnl", p.stop_loss::text as "stopLoss",
  p.take_profit::text as "takeProfit", p.opened_at as "openedAt", p.closed_at as "closedAt"`;

/** Open or closed positions, most recently opened first. */
export async function pagePositions(
  db: Queryable,
  filter: { readonly state: 'open' | 'closed'; readonly market?: Market | undefined },
  page: KeysetRequest<TimeKey>,
): Promise<KeysetPage<PositionView, TimeKey>> {
  const rows = await queryRows<PositionView & { sortKey: string }>(
    db,
    `select ${positionColumns}, to_json(p.opened_at) #>> '{}' as "sortKey"
       from atc.positions p
      where p.status = $1::text
        and ($2::text is null or p.market = $2::text)
        and ($3::timestamptz is null or (p.opened_at, p.id) < ($3::timestamptz, $4::uuid))
      order by p.opened_at desc, p.id desc
      limit $5::int`,
    [filter.state, filter.market ?? null, page.after?.at ?? null, page.after?.id ?? null, page.limit + 1],
  );
  return timeKeyedPage(rows, page.limit);
}

export async function selectPositionView(db: Queryable, id: string): Promise<PositionView | undefined> {
  return queryOne<PositionView>(db, `select ${positionColumns} from atc.positions p where p.id = $1::uuid`, [
    id,
  ]);
}

/** What a closed position came to (one outcome a position). */
export async function selectPositionOutcome(
  db: Queryable,
  positionId: string,
): Promise<OutcomeView | undefined> {
  return queryOne<OutcomeView>(
    db,
    `select o.id, o.outcome_type as "outcomeType", o.quantity::text as quantity,
            o.entry_price::text as "entryPrice", o.exit_price::text as "exitPrice",
            o.realised_pnl::text as "realisedPnl", o.pnl_fraction::text as "pnlFraction",
            o.hold_seconds as "holdSeconds", o.closed_at as "closedAt"
       from atc.outcomes o
      where o.position_id = $1::uuid
      order by o.closed_at desc
      limit 1`,
    [positionId],
  );
}

export interface DailyPnlRow {
  readonly day: string;
  readonly market: Market | null;
  readonly realisedPnl: string;
}

/**
 * Realised P&L of the fills of each day from `from` to `to` (inclusive), the days taken in `timeZone`
 * (the calendar policy's, like the daily-loss gate): one row a day and market that traded, plus a
 * total row (market null) for every day, zero when nothing was realised. A range on filled_at, so
 * fills_filled_at_idx serves it.
 */
export async function selectDailyRealisedPnl(
  db: Queryable,
  range: { readonly from: string; readonly to: string; readonly timeZone: string; readonly market?: Market },
): Promise<DailyPnlRow[]> {
  return queryRows<DailyPnlRow>(
    db,
    `with days as (
       select d::date as day from generate_series($1::date, $2::date, interval '1 day') as d
     ), fills as (
       select (f.filled_at at time zone $3::text)::date as day, f.market, f.realised_pnl
         from atc.fills f
        where f.filled_at >= ($1::date::timestamp at time zone $3::text)
          and f.filled_at < (($2::date + 1)::timestamp at time zone $3::text)
          and ($4::text is null or f.market = $4::text)
     )
     select days.day::text as day, fills.market, coalesce(sum(fills.realised_pnl), 0)::text as "realisedPnl"
       from days
       left join fills on fills.day = days.day
      group by days.day, rollup (fills.market)
     -- the rollup also yields a (day, null) row for a day's null-market group: keep one total a day
     having grouping(fills.market) = 1 or fills.market is not null
      order by days.day, fills.market nulls last`,
    [range.from, range.to, range.timeZone, range.market ?? null],
  );
}

/** The calendar policy's time zone (America/New_York before the policies are seeded, as status reads it). */
export async function selectCalendarTimeZone(db: Queryable): Promise<string> {
  const row = await queryOne<{ timeZone: string }>(
    db,
    `select coalesce((select value->>'timeZone' from atc.policies where key = 'calendar'), 'America/New_York')
            as "timeZone"`,
  );
  return row?.timeZone ?? 'America/New_York';
}
