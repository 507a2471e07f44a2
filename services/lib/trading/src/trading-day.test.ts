import { tradingDayOf } from './trading-day';

describe('tradingDayOf', () => {
  it('uses the policy time zone, not UTC', () => {
    // 02:30 UTC on the 7th is still the evening of the 6th in New York.
    expect(tradingDayOf('America/New_York', new Date('2031-01-07T02:30:00Z'))).toBe('2031-01-06');
    expect(tradingDayOf('UTC', new Date('2031-01-07T02:30:00Z'))).toBe('2031-01-07');
  });

  it('follows daylight saving time', () => {
    // EDT (UTC-4) in July: 03:59 UTC is 23:59 the day before; 04:00 UTC is midnight.
    expect(tradingDayOf('America/New_York', new Date('2031-07-15T03:59:00Z'))).toBe('2031-07-14');
    expect(tradingDayOf('America/New_York', new Date('2031-07-15T04:00:00Z'))).toBe('2031-07-15');
  });
});
