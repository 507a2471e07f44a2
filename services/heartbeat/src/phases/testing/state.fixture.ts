import type { Pool } from '@atc/platform';
import type { Market } from '@atc/contracts';
import { createHeartbeatPhases } from '../../heartbeat-phases';
import type { HeartbeatPhase, HeartbeatPhaseName } from '../heartbeat-phase';

/** The phase of that name, with events readable at once (tests do not wait for them to settle). */
export function phaseNamed(name: HeartbeatPhaseName): HeartbeatPhase {
  return createHeartbeatPhases({ eventSettleMs: 0 }).find((phase) => phase.name === name)!;
}

/** An open position written directly: the state a run of fills would have left. */
export async function openPosition(
  pool: Pool,
  p: {
    market?: Market;
    symbol: string;
    side?: 'long' | 'short';
    quantity?: string;
    averagePrice: string;
    stopLoss?: string;
    takeProfit?: string;
  },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into atc.positions (market, symbol, side, quantity, average_price, entry_quantity, entry_notional,
                                stop_loss, take_profit)
     values ($1, $2, $3, $4, $5, $4, $4::numeric * $5::numeric, $6, $7) returning id`,
    [
      p.market ?? 'crypto',
      p.symbol,
      p.side ?? 'long',
      p.quantity ?? '1',
      p.averagePrice,
      p.stopLoss ?? null,
      p.takeProfit ?? null,
    ],
  );
  return rows[0]!.id;
}

/** A closed position and its outcome. */
export async function recordOutcome(
  pool: Pool,
  o: { symbol: string; pnlFraction: string; outcomeType: 'win' | 'loss' | 'breakeven'; closedAt: Date },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `with position as (
       insert into atc.positions (market, symbol, side, quantity, average_price, status, opened_at, closed_at)
       values ('crypto', $1, 'long', 0, 100, 'closed', $4::timestamptz - interval '1 hour', $4) returning id)
     insert into atc.outcomes (position_id, market, symbol, side, quantity, entry_price, exit_price, realised_pnl,
                               pnl_fraction, outcome_type, hold_seconds, opened_at, closed_at)
     select id, 'crypto', $1, 'long', 1, 100, 100 * (1 + $2::numeric), 100 * $2::numeric, $2::numeric, $3, 3600,
            $4::timestamptz - interval '1 hour', $4 from position
     returning id`,
    [o.symbol, o.pnlFraction, o.outcomeType, o.closedAt],
  );
  return rows[0]!.id;
}

export async function count(pool: Pool, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, values);
  return rows[0]!.n;
}
