import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

/**
 * Why each outcome's position was closed: the `reason` of the close_position step whose fill closed
 * it (stop_loss, take_profit, trailing_stop, or an operator's text); null for a close by a reversing
 * entry. One statement for a batch of outcomes.
 */
export async function selectCloseReasons(
  db: Queryable,
  outcomeIds: readonly string[],
): Promise<Map<string, string | null>> {
  if (outcomeIds.length === 0) return new Map();
  const rows = await queryRows<{ outcomeId: string; reason: string | null }>(
    db,
    `select o.id as "outcomeId", last_fill.reason
       from atc.outcomes o
       left join lateral (
         select case when s.kind = 'close_position' then s.payload->>'reason' end as reason
           from atc.fills f
           join atc.orders ord on ord.id = f.order_id
           join atc.steps s on s.id = ord.step_id
          where f.position_id = o.position_id -- fills_position_id_idx
          order by f.filled_at desc
          limit 1) last_fill on true
      where o.id = any($1::uuid[])`,
    [outcomeIds],
  );
  return new Map(rows.map((row) => [row.outcomeId, row.reason]));
}

export async function countOpenPositions(db: Queryable): Promise<number> {
  const row = await queryOne<{ count: number }>(
    db,
    `select count(*)::int as count from atc.positions where status = 'open'`,
  );
  return row!.count;
}

export interface MarkedPosition {
  readonly id: string;
  readonly market: Market;
  readonly symbol: string;
  readonly unrealisedPnl: string;
  readonly unrealisedPnlFraction: string;
}

/** The worst-marked open positions first: a `position_marked` rule fires on the first match. */
export async function selectWorstMarkedPositions(db: Queryable, limit: number): Promise<MarkedPosition[]> {
  return queryRows<MarkedPosition>(
    db,
    `select id, market, symbol, unrealised_pnl::text as "unrealisedPnl",
            round(unrealised_pnl / nullif(quantity * average_price * multiplier, 0), 6)::text
              as "unrealisedPnlFraction"
       from atc.positions
      where status = 'open' and unrealised_pnl is not null and quantity > 0
      order by unrealised_pnl / nullif(quantity * average_price * multiplier, 0) asc nulls last
      limit $1::int`,
    [limit],
  );
}
