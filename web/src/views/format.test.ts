import { dateTime, time, usd } from './format';

describe('format', () => {
  // The formatters are made once (a new Intl formatter per call is slow in the Live feed); they must
  // print exactly what the toLocale*String calls they replace printed.
  it.each(['2026-12-07T00:05:03.000Z', '2026-01-31T23:59:59.999Z', '2026-06-15T12:00:00Z'])(
    'prints %s as toLocaleTimeString and toLocaleString do',
    (instant) => {
      const date = new Date(instant);
      expect(time(instant)).toBe(date.toLocaleTimeString('en-GB', { hour12: false }));
      expect(dateTime(instant)).toBe(date.toLocaleString('en-GB', { hour12: false }));
    },
  );

  it('prints dollars as toLocaleString does, and a dash for nothing', () => {
    for (const value of ['0', '-12.345', '1234567.891'])
      expect(usd(value)).toBe(Number(value).toLocaleString('en-US', { style: 'currency', currency: 'USD' }));
    expect(usd(null)).toBe('—');
    expect(time(undefined)).toBe('—');
  });
});
