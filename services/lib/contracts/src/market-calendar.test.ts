import { fixedClock, systemClock } from './clock';
import type { Market } from './enums';
import {
  describeSession,
  latestOpenWindow,
  marketSession,
  nextNyseTradingDay,
  nyseEarlyClose,
  nyseHoliday,
  nyseHolidays,
} from './market-calendar';

const at = (iso: string) => new Date(iso);
const states = (iso: string) =>
  Object.fromEntries(
    (['crypto', 'options', 'futures'] as Market[]).map((m) => {
      const s = marketSession(m, at(iso));
      return [m, s.open ? 'open' : s.reason];
    }),
  );

describe('NYSE holidays', () => {
  it('lists the 2026 and 2027 full-day closures with their observed dates', () => {
    expect([...nyseHolidays(2026).keys()]).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
    // 2027: Juneteenth on a Saturday is observed Friday the 18th; Christmas on a Saturday, Friday the 24th.
    expect(nyseHoliday('2027-06-18')).toBe('Juneteenth');
    expect(nyseHoliday('2027-12-24')).toBe('Christmas Day');
    expect(nyseHoliday('2027-03-26')).toBe('Good Friday');
    // New Year's Day 2028 is a Saturday: not observed on Friday 2027-12-31.
    expect(nyseHoliday('2027-12-31')).toBeUndefined();
  });

  it('knows the early closes and the next trading day across a holiday weekend', () => {
    expect(nyseEarlyClose('2026-11-27')).toBe('day after Thanksgiving');
    expect(nyseEarlyClose('2026-12-24')).toBe('Christmas Eve');
    expect(nyseEarlyClose('2026-12-23')).toBeUndefined();
    expect(nextNyseTradingDay('2026-12-24')).toBe('2026-12-28');
    expect(nextNyseTradingDay('2026-11-25')).toBe('2026-11-27');
    expect(nextNyseTradingDay('2026-12-18')).toBe('2026-12-21');
  });
});

describe('market sessions', () => {
  it('a weekday in market hours: every market open', () => {
    expect(states('2026-12-16T15:00:00Z')).toEqual({ crypto: 'open', options: 'open', futures: 'open' });
  });

  it('the same weekday before the open: options closed, the overnight futures session open', () => {
    expect(states('2026-12-16T13:00:00Z')).toEqual({
      crypto: 'open',
      options: 'before_open',
      futures: 'open',
    });
    expect(states('2026-12-16T21:30:00Z')).toMatchObject({ options: 'after_close', futures: 'open' });
    expect(states('2026-12-16T22:30:00Z')).toMatchObject({ futures: 'daily_break' });
  });

  it('the weekend: only crypto, until Globex reopens on Sunday at 18:00 New York', () => {
    expect(states('2026-12-19T15:00:00Z')).toEqual({
      crypto: 'open',
      options: 'weekend',
      futures: 'weekend',
    });
    expect(states('2026-12-18T22:30:00Z')).toMatchObject({ futures: 'weekend' });
    expect(states('2026-12-20T22:30:00Z')).toMatchObject({ futures: 'weekend' });
    expect(states('2026-12-20T23:30:00Z')).toMatchObject({ options: 'weekend', futures: 'open' });
  });

  it('a holiday: options closed; futures halt at 13:00, or do not trade at all on Christmas', () => {
    expect(states('2026-11-26T15:00:00Z')).toEqual({ crypto: 'open', options: 'holiday', futures: 'open' });
    expect(states('2026-11-26T19:00:00Z')).toMatchObject({ futures: 'holiday' });
    expect(states('2026-12-25T15:00:00Z')).toEqual({
      crypto: 'open',
      options: 'holiday',
      futures: 'holiday',
    });
    expect(states('2026-12-24T23:30:00Z')).toMatchObject({ futures: 'holiday' });
    expect(describeSession(marketSession('options', at('2026-11-26T15:00:00Z')))).toBe(
      'closed (holiday: Thanksgiving Day)',
    );
  });

  it('an early close ends the options session at 13:00', () => {
    expect(marketSession('options', at('2026-11-27T17:30:00Z')).open).toBe(true);
    expect(marketSession('options', at('2026-11-27T18:30:00Z'))).toMatchObject({
      open: false,
      reason: 'after_close',
      holiday: 'day after Thanksgiving',
    });
  });

  it('follows daylight saving time: 09:30 New York is 13:30 UTC in summer, 14:30 in winter', () => {
    expect(marketSession('options', at('2026-07-15T13:45:00Z')).open).toBe(true);
    expect(marketSession('options', at('2026-12-15T13:45:00Z')).open).toBe(false);
  });
});

describe('latest open window', () => {
  it('is the instant itself, to the quarter hour, when the markets stay open for the window', () => {
    // Wednesday 10:07 New York: futures trade until the 17:00 break.
    expect(latestOpenWindow(['futures'], at('2026-12-16T15:07:00Z'), 3).toISOString()).toBe(
      '2026-12-16T15:00:00.000Z',
    );
  });

  it('on a Saturday, steps back to the last window that stayed open before the Friday close', () => {
    // Futures close Friday 17:00 New York (22:00 UTC); a 3-hour window must start by 14:00 (19:00 UTC).
    expect(latestOpenWindow(['futures'], at('2026-12-19T15:00:00Z'), 3).toISOString()).toBe(
      '2026-12-18T19:00:00.000Z',
    );
    // Options and futures together: the options close at 16:00 (21:00 UTC) bounds it.
    expect(latestOpenWindow(['options', 'futures'], at('2026-12-19T15:00:00Z'), 3).toISOString()).toBe(
      '2026-12-18T18:00:00.000Z',
    );
  });

  it('skips a holiday: on Christmas Day the window is on Christmas Eve, before the early close', () => {
    const window = latestOpenWindow(['futures'], at('2026-12-25T18:00:00Z'), 1);
    expect(marketSession('futures', window).open).toBe(true);
    expect(window.getTime()).toBeLessThan(at('2026-12-25T00:00:00Z').getTime());
  });
});

describe('clocks', () => {
  it('a fixed clock returns its instant, a copy each time; the system clock moves', () => {
    const clock = fixedClock('2026-12-18T15:00:00Z');
    const first = clock.now();
    first.setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-12-18T15:00:00.000Z');
    expect(() => fixedClock('not a date')).toThrow(/not an instant/);
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1_000);
  });
});
