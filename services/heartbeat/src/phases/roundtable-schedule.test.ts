import { defaultRoundtableSchedules, type RoundtableSchedule } from '@atc/contracts';
import { isScheduledDay, localTime, scheduleState, zonedInstant } from './roundtable-schedule';

const PT = 'America/Los_Angeles';
const at = (iso: string) => new Date(iso);
const standup = defaultRoundtableSchedules.morning_standup!;
const strategy = defaultRoundtableSchedules.strategy_session!;
const watercooler = defaultRoundtableSchedules.watercooler!;

describe('zonedInstant: wall-clock time in an explicit zone', () => {
  it('puts 06:30 Pacific at 14:30 UTC in winter and 13:30 UTC in summer', () => {
    expect(zonedInstant('2026-12-07', 390, PT).toISOString()).toBe('2026-12-07T14:30:00.000Z');
    expect(zonedInstant('2026-07-15', 390, PT).toISOString()).toBe('2026-07-15T13:30:00.000Z');
  });

  it('follows the zone across the March change (Friday PST, Monday PDT)', () => {
    expect(zonedInstant('2026-03-06', 390, PT).toISOString()).toBe('2026-03-06T14:30:00.000Z');
    expect(zonedInstant('2026-03-09', 390, PT).toISOString()).toBe('2026-03-09T13:30:00.000Z');
    // The day of the change itself: midnight is still PST, 06:30 already PDT.
    expect(zonedInstant('2026-03-08', 0, PT).toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(zonedInstant('2026-03-08', 390, PT).toISOString()).toBe('2026-03-08T13:30:00.000Z');
  });

  it('resolves a time inside the spring-forward gap to after the gap, and a repeated one to the first', () => {
    // 02:30 does not exist on 2026-03-08 in Pacific time: 03:30 PDT.
    expect(zonedInstant('2026-03-08', 150, PT).toISOString()).toBe('2026-03-08T10:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: the first (PDT).
    expect(zonedInstant('2026-11-01', 90, PT).toISOString()).toBe('2026-11-01T08:30:00.000Z');
  });

  it('reads the local date of an instant in the zone, not in UTC', () => {
    expect(localTime(at('2026-12-07T02:30:00Z'), PT)).toEqual({ date: '2026-12-06', minutes: 18 * 60 + 30 });
  });
});

describe('isScheduledDay', () => {
  it('trading days follow the NYSE calendar: no weekend, no holiday', () => {
    expect(isScheduledDay('trading', '2026-12-07')).toBe(true); // Monday
    expect(isScheduledDay('trading', '2026-12-25')).toBe(false); // Christmas Day, a Friday
    expect(isScheduledDay('trading', '2026-12-26')).toBe(false); // Saturday
    expect(isScheduledDay('daily', '2026-12-25')).toBe(true);
  });

  it('a weekday list selects only those weekdays', () => {
    expect(isScheduledDay(['sun'], '2026-12-06')).toBe(true);
    expect(isScheduledDay(['sun'], '2026-12-07')).toBe(false);
    expect(isScheduledDay(['mon', 'fri'], '2026-12-11')).toBe(true);
  });
});

describe('scheduleState: the window of today’s occurrence', () => {
  it('is due from 06:30 PT on a trading day, in winter and in summer', () => {
    expect(scheduleState(standup, PT, at('2026-12-07T14:29:00Z')).kind).toBe('not_yet');
    expect(scheduleState(standup, PT, at('2026-12-07T14:30:00Z'))).toMatchObject({
      kind: 'due',
      window: '2026-12-07',
    });
    expect(scheduleState(standup, PT, at('2026-07-15T13:30:00Z')).kind).toBe('due');
    expect(scheduleState(standup, PT, at('2026-07-15T13:29:00Z')).kind).toBe('not_yet');
  });

  it('holds a late heartbeat (07:10 PT) within the window, not one past it', () => {
    const due = scheduleState(standup, PT, at('2026-12-07T15:10:00Z'));
    expect(due).toMatchObject({ kind: 'due', window: '2026-12-07' });
    if (due.kind === 'due') expect(due.closesAt.toISOString()).toBe('2026-12-07T17:30:00.000Z');
    expect(scheduleState(standup, PT, at('2026-12-07T17:30:00Z')).kind).toBe('window_passed');
  });

  it('never holds yesterday’s occurrence the next day', () => {
    // 06:00 PT on Tuesday: Monday's window has passed and Tuesday's has not opened.
    expect(scheduleState(standup, PT, at('2026-12-08T14:00:00Z'))).toEqual({
      kind: 'not_yet',
      window: '2026-12-08',
    });
  });

  it('ends the window at local midnight even when the lateness reaches past it', () => {
    const late: RoundtableSchedule = { ...watercooler, at: '23:00', maxLatenessMinutes: 180 };
    // 23:59 PST on 2026-12-07 is due; 00:30 PST the next day belongs to the next day's window.
    expect(scheduleState(late, PT, at('2026-12-08T07:59:00Z'))).toMatchObject({
      kind: 'due',
      window: '2026-12-07',
    });
    expect(scheduleState(late, PT, at('2026-12-08T08:30:00Z'))).toEqual({
      kind: 'not_yet',
      window: '2026-12-08',
    });
  });

  it('has no standup on a market holiday or a weekend', () => {
    expect(scheduleState(standup, PT, at('2026-12-25T15:00:00Z')).kind).toBe('not_scheduled_today');
    expect(scheduleState(standup, PT, at('2026-12-26T15:00:00Z')).kind).toBe('not_scheduled_today');
  });

  it('holds the weekly strategy session on Sunday evening Pacific (Monday in UTC) only', () => {
    expect(scheduleState(strategy, PT, at('2026-12-07T02:30:00Z'))).toMatchObject({
      kind: 'due',
      window: '2026-12-06',
    });
    expect(scheduleState(strategy, PT, at('2026-12-08T02:30:00Z')).kind).toBe('not_scheduled_today');
    expect(scheduleState(strategy, PT, at('2026-12-06T20:00:00Z')).kind).toBe('not_yet');
  });
});
