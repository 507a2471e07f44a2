/**
 * The equity curve (`GET /api/pnl/equity`): the company's cumulative P&L at the end of each day of the
 * last N days (calendar days in the calendar policy's time zone) — every fill's realised P&L up to
 * that day's end, and on the last day (today) the open positions' unrealised P&L at their marks too.
 * The API holds no starting capital, so the curve is P&L since the first fill: add the capital to read
 * it as account equity. Decimal strings throughout, summed with decimal.js.
 * @module
 */
import Decimal from 'decimal.js';
import type { Market } from '@atc/contracts';
import type { Queryable } from '@atc/platform';
import { selectOpenPositions } from './company-status.queries';
import { readDailyPnl } from './daily-pnl';
import { selectRealisedPnlBefore } from './equity-curve.queries';
import { selectCalendarTimeZone } from './position-views.queries';
import { tradingDayOf } from './trading-day';

export const DEFAULT_EQUITY_DAYS = 30;

export interface EquityCurve {
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  /** Realised P&L of every fill before `from`: where the curve starts. */
  readonly realisedBefore: string;
  /** The open positions' unrealised P&L now (marked ones only), counted on the last day. */
  readonly unrealisedPnl: string;
  /** Open positions without a mark, left out of `unrealisedPnl`. */
  readonly unmarkedPositions: number;
  readonly days: readonly {
    readonly day: string;
    /** That day's realised P&L. */
    readonly realisedPnl: string;
    /** Realised P&L of every fill to the day's end. */
    readonly cumulativeRealisedPnl: string;
    /** `cumulativeRealisedPnl`, plus `unrealisedPnl` on the last day. */
    readonly equity: string;
  }[];
}

const DAY_MS = 86_400_000;
const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The last `days` days to today (as of `asOf`), optionally of one market. */
export async function readEquityCurve(
  db: Queryable,
  query: { readonly days?: number | undefined; readonly market?: Market | undefined },
  asOf: Date,
): Promise<EquityCurve> {
  const timeZone = await selectCalendarTimeZone(db);
  const to = tradingDayOf(timeZone, asOf);
  const from = shiftDay(to, -((query.days ?? DEFAULT_EQUITY_DAYS) - 1));
  const [series, before, positions] = await Promise.all([
    // readDailyPnl bounds the span (MAX_PNL_DAYS) and fills the days without fills with zero.
    readDailyPnl(db, { from, to, market: query.market }, asOf),
    selectRealisedPnlBefore(db, { from, timeZone, market: query.market }),
    selectOpenPositions(db),
  ]);
  const open = positions.filter((position) => !query.market || position.market === query.market);
  const unrealised = open.reduce(
    (sum, position) => (position.unrealisedPnl === null ? sum : sum.plus(position.unrealisedPnl)),
    new Decimal(0),
  );
  let cumulative = new Decimal(before);
  const days = series.days.map((entry, index) => {
    cumulative = cumulative.plus(entry.realisedPnl);
    const last = index === series.days.length - 1;
    return {
      day: entry.day,
      realisedPnl: entry.realisedPnl,
      cumulativeRealisedPnl: cumulative.toString(),
      equity: (last ? cumulative.plus(unrealised) : cumulative).toString(),
    };
  });
  return {
    timeZone: series.timeZone,
    from: series.from,
    to: series.to,
    realisedBefore: new Decimal(before).toString(),
    unrealisedPnl: unrealised.toString(),
    unmarkedPositions: open.filter((position) => position.unrealisedPnl === null).length,
    days,
  };
}
