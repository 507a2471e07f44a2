import { nextExpiry } from './signal-entries';

describe('the options expiry intel buys', () => {
  const expiry = (instant: string) => nextExpiry(new Date(instant)).toISOString().slice(0, 10);

  it('is the next NYSE trading day after the run’s New York date, skipping weekends and holidays', () => {
    expect(expiry('2026-12-16T15:00:00Z')).toBe('2026-12-17');
    // The third Friday (a monthly expiry): never the contract expiring that day.
    expect(expiry('2026-12-18T15:00:00Z')).toBe('2026-12-21');
    expect(expiry('2026-11-25T15:00:00Z')).toBe('2026-11-27');
    expect(expiry('2026-12-24T15:00:00Z')).toBe('2026-12-28');
    // 20:30 New York on Wednesday is already Thursday in UTC: the New York date counts.
    expect(expiry('2026-12-17T01:30:00Z')).toBe('2026-12-17');
  });
});
