import { queryRows, type Queryable } from '@atc/platform';
import type { Market, PositionSide } from '@atc/contracts';

export interface OpenInstrument {
  readonly market: Market;
  readonly symbol: string;
}

/** Instruments of the open positions, stalest mark first (positions_open_marked_at_idx). */
export async function selectOpenInstruments(db: Queryable, limit: number): Promise<OpenInstrument[]> {
  return queryRows<OpenInstrument>(
    db,
    `select market, symbol from atc.positions
      where status = 'open'
      order by marked_at nulls first
      limit $1::int`,
    [limit],
  );
}

/**
 * Open positions without a stop-loss adopt their entry's stop and take-profit (the execute_trade
 * step whose fill opened them), or else the policy's default stop distance from the average price.
 * Set-based: one statement for all of them.
 */
export async function adoptEntryStops(db: Queryable, defaultStopFraction: number): Promise<number> {
  const result = await db.query(
    `update atc.positions p
        set stop_loss = coalesce(entry.stop, case when p.side = 'long'
                                             then p.average_price * (1 - $1::numeric)
                                             else p.average_price * (1 + $1::numeric) end),
            take_profit = coalesce(p.take_profit, entry.target),
            updated_at = now()
       from atc.positions open_p
       left join lateral (
         select coalesce(s.payload->'trade'->>'stopLoss', s.payload->'trade'->'bracket'->>'stopLoss')::numeric as stop,
                coalesce(s.payload->'trade'->>'takeProfit', s.payload->'trade'->'bracket'->>'takeProfit')::numeric as target
           from atc.fills f
           join atc.orders o on o.id = f.order_id
           join atc.steps s on s.id = o.step_id and s.kind = 'execute_trade'
          where f.position_id = open_p.id -- fills_position_id_idx
          order by f.filled_at
          limit 1) entry on true
      where p.id = open_p.id and open_p.status = 'open' and open_p.stop_loss is null`,
    [defaultStopFraction],
  );
  return result.rowCount ?? 0;
}

export interface MarkedRow {
  readonly id: string;
  readonly market: Market;
  readonly symbol: string;
  readonly side: PositionSide;
  readonly averagePrice: string;
  readonly mark: string;
  readonly highWater: string;
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
}

/**
 * Stores marks for many instruments in one statement: the mark, its time, the unrealised P&L in USD
 * (signed by side, times the multiplier) and the best mark since entry for the trailing stop.
 */
export async function storeMarks(
  db: Queryable,
  marks: readonly { market: Market; symbol: string; mark: string }[],
  markedAt: Date,
): Promise<MarkedRow[]> {
  if (marks.length === 0) return [];
  return queryRows<MarkedRow>(
    db,
    `update atc.positions p
        set mark_price = m.mark,
            marked_at = $4::timestamptz,
            unrealised_pnl = (m.mark - p.average_price) * p.quantity * p.multiplier
                             * (case when p.side = 'long' then 1 else -1 end),
            high_water_price = case when p.side = 'long'
                                    then greatest(coalesce(p.high_water_price, p.average_price), m.mark)
                                    else least(coalesce(p.high_water_price, p.average_price), m.mark) end
       from unnest($1::text[], $2::text[], $3::numeric[]) as m(market, symbol, mark)
      where p.status = 'open' and p.market = m.market and p.symbol = m.symbol -- positions_open_market_symbol_idx
  returning p.id, p.market, p.symbol, p.side, p.average_price::text as "averagePrice", m.mark::text as mark,
            p.high_water_price::text as "highWater", p.stop_loss::text as "stopLoss",
            p.take_profit::text as "takeProfit"`,
    [marks.map((m) => m.market), marks.map((m) => m.symbol), marks.map((m) => m.mark), markedAt],
  );
}
