/**
 * The schedule arithmetic of the roundtable (pure; `schedule-roundtables.phase.ts` runs it): which
 * scheduled occurrence, if any, a heartbeat at instant `now` is inside the window of.
 *
 * An occurrence is the schedule's `at` on a local date (in the policy's IANA `timeZone`) that its
 * `days` select. Its **window** runs from that instant for `maxLatenessMinutes`, and never past the
 * end of that local day, so its key is the local date: a late heartbeat (07:10 for a 06:30 standup)
 * still holds it, one on the next day never holds yesterday's. The instant of a wall-clock time is
 * found through the zone's offset at that time, so 06:30 Pacific is 14:30 UTC in winter and 13:30 UTC
 * in summer. A time that does not exist on a spring-forward day (02:30) falls after the gap.
 * @module
 */
import { addDays, isNyseTradingDay, weekdayOf, weekdays, type RoundtableSchedule } from '@atc/contracts';

export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  readonly date: string;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return format;
}

function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The local date and time of day of an instant in `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  const { date, hour, minute } = wallClock(instant, timeZone);
  return { date, minutes: hour * 60 + minute };
}

/** The zone's offset from UTC at an instant, in ms (−8 h for Pacific standard time). */
function offsetMs(instant: Date, timeZone: string): number {
  const { date, hour, minute, second } = wallClock(instant, timeZone);
  const asUtc = Date.parse(`${date}T00:00:00Z`) + ((hour * 60 + minute) * 60 + second) * 1000;
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of local wall-clock time `minutes` after midnight of `date` in `timeZone`. */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const naive = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const first = naive - offsetMs(new Date(naive), timeZone);
  // Near a transition the offset at the first guess can differ from the offset at the answer.
  const second = naive - offsetMs(new Date(first), timeZone);
  const wanted = localTime(new Date(second), timeZone);
  // Inside a spring-forward gap neither guess shows the wanted time: take the later, after the gap.
  return new Date(wanted.date === date && wanted.minutes === minutes ? second : Math.max(first, second));
}

export const minutesOf = (at: string): number => Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));

/** Whether the schedule's `days` select this local date. */
export function isScheduledDay(days: RoundtableSchedule['days'], date: string): boolean {
  if (days === 'daily') return true;
  if (days === 'trading') return isNyseTradingDay(date);
  return days.includes(weekdays[weekdayOf(date)]!);
}

export type ScheduleState =
  | { readonly kind: 'due'; readonly window: string; readonly opensAt: Date; readonly closesAt: Date }
  | { readonly kind: 'not_scheduled_today' | 'not_yet' | 'window_passed'; readonly window: string };

/** Where `now` stands against today's occurrence of a schedule (today in `timeZone`). */
export function scheduleState(schedule: RoundtableSchedule, timeZone: string, now: Date): ScheduleState {
  const window = localTime(now, timeZone).date;
  if (!isScheduledDay(schedule.days, window)) return { kind: 'not_scheduled_today', window };
  const opensAt = zonedInstant(window, minutesOf(schedule.at), timeZone);
  const endOfDay = zonedInstant(addDays(window, 1), 0, timeZone);
  const closesAt = new Date(
    Math.min(opensAt.getTime() + schedule.maxLatenessMinutes * 60_000, endOfDay.getTime()),
  );
  if (now < opensAt) return { kind: 'not_yet', window };
  if (now >= closesAt) return { kind: 'window_passed', window };
  return { kind: 'due', window, opensAt, closesAt };
}
