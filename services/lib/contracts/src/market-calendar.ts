/**
 * When each market trades, as the venue simulator models it and as the heartbeat and `atc status`
 * report it. All times are New York wall-clock time (DST handled by the platform's time zone data).
 *
 * - crypto: always open.
 * - options (US listed, SPY/QQQ): NYSE trading days, 09:30–16:00; 13:00 on the NYSE's early-close days
 *   (the day after Thanksgiving, Christmas Eve, July 3); closed on NYSE holidays and weekends.
 * - futures (CME Globex equity index, MES/MNQ): Sunday 18:00 to Friday 17:00 with a daily break
 *   17:00–18:00. A session is named by the day it ends on (its trade date): the one that opens at 18:00
 *   on Thursday is Friday's. No session on weekends, New Year's Day, Good Friday and Christmas; on the
 *   other NYSE holidays the session halts early, at 13:00.
 * @module
 */
import type { Market } from './enums';

export type MarketClosedReason = 'weekend' | 'holiday' | 'before_open' | 'after_close' | 'daily_break';

export interface MarketSession {
  readonly market: Market;
  readonly open: boolean;
  /** Why it is closed (absent when open). */
  readonly reason?: MarketClosedReason;
  /** The holiday's name when the reason is a holiday (or an early close/halt on one). */
  readonly holiday?: string;
}

export const MARKET_TIME_ZONE = 'America/New_York';

interface LocalTime {
  /** YYYY-MM-DD in New York. */
  readonly date: string;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

let localFormat: Intl.DateTimeFormat | undefined;

/** The New York calendar date and time of day of an instant. */
export function newYorkTime(instant: Date): LocalTime {
  localFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: MARKET_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(localFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utcDate = (date: string) => new Date(`${date}T00:00:00Z`);

/** The date `days` calendar days after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = utcDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return ymd(d);
}

/** 0 Sunday … 6 Saturday. */
export function weekdayOf(date: string): number {
  return utcDate(date).getUTCDay();
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return ymd(new Date(Date.UTC(year, month - 1, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7)));
  }
  const last = new Date(Date.UTC(year, month, 0));
  return ymd(new Date(Date.UTC(year, month - 1, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7))));
}

/** Gregorian Easter Sunday (anonymous algorithm). */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(new Date(Date.UTC(year, month - 1, day)));
}

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
function observed(date: string): string {
  const weekday = weekdayOf(date);
  return weekday === 6 ? addDays(date, -1) : weekday === 0 ? addDays(date, 1) : date;
}

const holidayCache = new Map<number, ReadonlyMap<string, string>>();

/** The NYSE's full-day holidays of a year, date → name. */
export function nyseHolidays(year: number): ReadonlyMap<string, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const newYear = `${year}-01-01`;
  const entries: [string, string][] = [
    // NYSE rule: New Year's Day on a Saturday is not observed on the Friday before.
    ...(weekdayOf(newYear) === 6 ? [] : [[observed(newYear), "New Year's Day"] as [string, string]]),
    [nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day'],
    [nthWeekday(year, 2, 1, 3), "Washington's Birthday"],
    [addDays(easter(year), -2), 'Good Friday'],
    [nthWeekday(year, 5, 1, -1), 'Memorial Day'],
    [observed(`${year}-06-19`), 'Juneteenth'],
    [observed(`${year}-07-04`), 'Independence Day'],
    [nthWeekday(year, 9, 1, 1), 'Labor Day'],
    [nthWeekday(year, 11, 4, 4), 'Thanksgiving Day'],
    [observed(`${year}-12-25`), 'Christmas Day'],
  ];
  const holidays = new Map(entries);
  holidayCache.set(year, holidays);
  return holidays;
}

/** The holiday's name if the NYSE is closed on `date` for one. */
export function nyseHoliday(date: string): string | undefined {
  return nyseHolidays(Number(date.slice(0, 4))).get(date);
}

/** Days the NYSE closes at 13:00: the day after Thanksgiving, Christmas Eve and July 3 (weekdays, not holidays). */
export function nyseEarlyClose(date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  const candidates: [string, string][] = [
    [addDays(nthWeekday(year, 11, 4, 4), 1), 'day after Thanksgiving'],
    [`${year}-12-24`, 'Christmas Eve'],
    [`${year}-07-03`, 'Independence Day eve'],
  ];
  const match = candidates.find(([day]) => day === date);
  if (!match || !isNyseTradingDay(date)) return undefined;
  return match[1];
}

export function isNyseTradingDay(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && nyseHoliday(date) === undefined;
}

/** The first NYSE trading day strictly after `date`. */
export function nextNyseTradingDay(date: string): string {
  let day = addDays(date, 1);
  while (!isNyseTradingDay(day)) day = addDays(day, 1);
  return day;
}

const OPEN = 9 * 60 + 30;
const CLOSE = 16 * 60;
const EARLY_CLOSE = 13 * 60;
const GLOBEX_BREAK_START = 17 * 60;
const GLOBEX_BREAK_END = 18 * 60;
/** No CME equity-index session on these holidays' trade dates. */
const GLOBEX_CLOSED_HOLIDAYS = new Set(["New Year's Day", 'Good Friday', 'Christmas Day']);

function optionsSession(local: LocalTime): MarketSession {
  const market = 'options' as const;
  const weekday = weekdayOf(local.date);
  if (weekday === 0 || weekday === 6) return { market, open: false, reason: 'weekend' };
  const holiday = nyseHoliday(local.date);
  if (holiday) return { market, open: false, reason: 'holiday', holiday };
  if (local.minutes < OPEN) return { market, open: false, reason: 'before_open' };
  const early = nyseEarlyClose(local.date);
  if (local.minutes >= (early ? EARLY_CLOSE : CLOSE))
    return { market, open: false, reason: 'after_close', ...(early ? { holiday: early } : {}) };
  return { market, open: true };
}

function futuresSession(local: LocalTime): MarketSession {
  const market = 'futures' as const;
  if (local.minutes >= GLOBEX_BREAK_START && local.minutes < GLOBEX_BREAK_END) {
    // Friday 17:00 to Sunday 18:00 is the weekend, not a break.
    const weekday = weekdayOf(local.date);
    if (weekday === 5 || weekday === 6 || weekday === 0) return { market, open: false, reason: 'weekend' };
    return { market, open: false, reason: 'daily_break' };
  }
  // The session from 18:00 belongs to the next day's trade date.
  const tradeDate = local.minutes >= GLOBEX_BREAK_END ? addDays(local.date, 1) : local.date;
  const weekday = weekdayOf(tradeDate);
  if (weekday === 0 || weekday === 6) return { market, open: false, reason: 'weekend' };
  const holiday = nyseHoliday(tradeDate);
  if (holiday && GLOBEX_CLOSED_HOLIDAYS.has(holiday))
    return { market, open: false, reason: 'holiday', holiday };
  if (holiday && tradeDate === local.date && local.minutes >= EARLY_CLOSE)
    return { market, open: false, reason: 'holiday', holiday };
  return { market, open: true };
}

/** Whether `market` trades at `instant`, and if not, why. */
export function marketSession(market: Market, instant: Date): MarketSession {
  if (market === 'crypto') return { market, open: true };
  const local = newYorkTime(instant);
  return market === 'options' ? optionsSession(local) : futuresSession(local);
}

/** A short human sentence for a closed session: "closed (holiday: Thanksgiving Day)". */
export function describeSession(session: MarketSession): string {
  if (session.open) return 'open';
  const reason = session.reason!.replace('_', ' ');
  return session.holiday ? `closed (${reason}: ${session.holiday})` : `closed (${reason})`;
}

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The latest quarter-hour at or before `before` from which every market in `markets` stays open for
 * `hours` (checked every 15 minutes), looking back at most two weeks. Tests that need live venues
 * start the simulator there: the real date may be a weekend or a holiday, and a start near `before`
 * keeps the venues' own date windows (order look-ups search the last days) valid.
 */
export function latestOpenWindow(markets: readonly Market[], before: Date, hours: number): Date {
  const steps = Math.ceil((hours * 3_600_000) / QUARTER_HOUR_MS);
  const openAt = (ms: number) => markets.every((market) => marketSession(market, new Date(ms)).open);
  const latest = Math.floor(before.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let start = latest; start > latest - 14 * 86_400_000; start -= QUARTER_HOUR_MS) {
    let open = true;
    for (let step = 0; step < steps && open; step++) open = openAt(start + step * QUARTER_HOUR_MS);
    if (open) return new Date(start);
  }
  throw new Error(
    `no ${hours}-hour window open for ${markets.join(', ')} in the two weeks before ${before.toISOString()}`,
  );
}
