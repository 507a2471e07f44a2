import { queryOne, queryRows, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { Market } from '@atc/contracts';

/** Realised P&L of the fills of one trading day (in the policy's zone); a range, so the index serves it. */
export async function realisedPnlOnDay(db: Queryable, timeZone: string, tradingDay: string): Promise<string> {
  const [row] = await runPrepared<{ pnl: string }>(
    db,
    'realised_pnl_on_day',
    `select coalesce(sum(realised_pnl), 0)::text as pnl
       from atc.fills
      where filled_at >= ($2::date::timestamp at time zone $1::text)
        and filled_at < (($2::date + 1)::timestamp at time zone $1::text)`,
    [timeZone, tradingDay],
  );
  return row!.pnl;
}

export interface OpenPositionExposure {
  readonly market: Market;
  readonly symbol: string;
  readonly exposureUsd: string;
}

/** Open positions at cost: |quantity| × average price × multiplier. */
export async function selectOpenExposure(db: Queryable): Promise<OpenPositionExposure[]> {
  return queryRows<OpenPositionExposure>(
    db,
    `select market, symbol, (quantity * average_price * multiplier)::text as "exposureUsd"
       from atc.positions
      where status = 'open'`,
  );
}

/**
 * Entries approved but not yet settled (their steps are not terminal): counted against the
 * position and exposure limits so that approvals cannot outrun the fills. Their exposure is what the
 * gates admitted (`entry_admissions`), never a number from the step's payload; a step without an
 * admission (made before migration 0011) is refused at execution, so it adds nothing here.
 */
export async function selectInFlightEntries(db: Queryable): Promise<{ count: number; notionalUsd: string }> {
  const row = await queryOne<{ count: number; notionalUsd: string }>(
    db,
    `select count(*)::int as count, coalesce(sum(a.notional_usd), 0)::text as "notionalUsd"
       from atc.steps s
       join atc.missions m on m.id = s.mission_id
       left join atc.entry_admissions a on a.proposal_id = m.proposal_id and a.step_seq = s.seq
      where s.kind = 'execute_trade' and s.status in ('queued', 'running', 'executing', 'needs_reconciliation')`,
  );
  return row!;
}

export async function hasOpenPosition(db: Queryable, market: Market, symbol: string): Promise<boolean> {
  const row = await queryOne<{ found: boolean }>(
    db,
    `select exists (
       select 1 from atc.positions where market = $1::text and symbol = $2::text and status = 'open'
     ) as found`,
    [market, symbol],
  );
  return row!.found;
}
