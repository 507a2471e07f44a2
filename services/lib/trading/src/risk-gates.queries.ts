import Decimal from 'decimal.js';
import { queryOne, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { Market } from '@atc/contracts';
import {
  openPositionExposure,
  type ExposurePolicy,
  type OpenPositionExposure,
  type OpenPositionFigures,
} from './open-exposure';

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

/** The open positions with what their exposure is measured from (see `openPositionExposure`). */
export async function selectOpenPositionFigures(db: Queryable): Promise<OpenPositionFigures[]> {
  return runPrepared<OpenPositionFigures>(
    db,
    'open_position_figures',
    `select market, symbol, quantity::text as quantity, average_price::text as "averagePrice",
            multiplier::text as multiplier, stop_loss::text as "stopLoss", mark_price::text as "markPrice",
            marked_at as "markedAt"
       from atc.positions
      where status = 'open'`,
    [],
  );
}

/** Each open position's exposure, measured as its entry was (futures: to the stop or at notional). */
export async function selectOpenExposure(
  db: Queryable,
  policy: ExposurePolicy,
  asOf: Date,
): Promise<OpenPositionExposure[]> {
  const rows = await selectOpenPositionFigures(db);
  return rows.map((row) => openPositionExposure(row, policy, asOf));
}

export interface CurrentExposure {
  readonly open: readonly OpenPositionExposure[];
  readonly inFlight: { readonly count: number; readonly notionalUsd: string };
  /** Open positions plus the admitted exposure of entries not yet settled, USD. */
  readonly totalUsd: string;
}

/**
 * The exposure the total-exposure cap is compared with, for the gates and for execution's send-time
 * re-check alike: open positions (`selectOpenExposure`) plus approved entries not yet settled.
 */
export async function selectCurrentExposure(
  db: Queryable,
  policy: ExposurePolicy,
  asOf: Date,
): Promise<CurrentExposure> {
  const open = await selectOpenExposure(db, policy, asOf);
  const inFlight = await selectInFlightEntries(db);
  const total = open.reduce((sum, p) => sum.plus(p.exposureUsd), new Decimal(inFlight.notionalUsd));
  return { open, inFlight, totalUsd: total.toFixed() };
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
