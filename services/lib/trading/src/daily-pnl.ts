/**
 * The daily realised P&L series (`GET /api/pnl/daily`): one entry a day, by market and in total, the
 * days taken in the calendar policy's time zone, the last 30 days by default.
 * @module
 */
import Decimal from 'decimal.js';
import { InputError, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';
import { selectCalendarTimeZone, selectDailyRealisedPnl } from './position-views.queries';
import { tradingDayOf } from './trading-day';

export const DEFAULT_PNL_DAYS = 30;
/** A bound on one series, so one request cannot ask for centuries of rows. */
export const MAX_PNL_DAYS = 366;

export interface DailyPnl {
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly days: readonly {
    readonly day: string;
    readonly realisedPnl: string;
    readonly byMarket: Readonly<Record<string, string>>;
  }[];
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The series from `from` to `to` inclusive (calendar days); `to` defaults to today as of `asOf`. */
export async function readDailyPnl(
  db: Queryable,
  range: {
    readonly from?: string | undefined;
    readonly to?: string | undefined;
    readonly market?: Market | undefined;
  },
  asOf: Date,
): Promise<DailyPnl> {
  const timeZone = await selectCalendarTimeZone(db);
  const to = range.to ?? tradingDayOf(timeZone, asOf);
  const from = range.from ?? shiftDay(to, -(DEFAULT_PNL_DAYS - 1));
  const span = dayNumber(to) - dayNumber(from) + 1;
  if (span < 1) throw new InputError('from: must be on or before to', { details: { field: 'from' } });
  if (span > MAX_PNL_DAYS) {
    throw new InputError(`from: the series spans at most ${MAX_PNL_DAYS} days`, {
      details: { field: 'from' },
    });
  }
  const rows = await selectDailyRealisedPnl(db, {
    from,
    to,
    timeZone,
    ...(range.market ? { market: range.market } : {}),
  });
  const days = new Map<string, { realisedPnl: string; byMarket: Record<string, string> }>();
  for (const row of rows) {
    const day = days.get(row.day) ?? { realisedPnl: '0', byMarket: {} };
    if (row.market === null) day.realisedPnl = new Decimal(row.realisedPnl).toString();
    else day.byMarket[row.market] = row.realisedPnl;
    days.set(row.day, day);
  }
  return { timeZone, from, to, days: [...days.entries()].map(([day, value]) => ({ day, ...value })) };
}
