import { marketHoursStart, parseSoakOptions } from './soak-options';

describe('parseSoakOptions', () => {
  it('takes the minutes and defaults the rest, the warm-up at most 40 % of the run', () => {
    expect(parseSoakOptions(['--minutes', '10'])).toEqual({
      minutes: 10,
      out: '.soak',
      sampleSeconds: 10,
      proposalSeconds: 5,
      warmupMinutes: 4,
      thresholdMibPerHour: 15,
    });
    expect(parseSoakOptions(['--minutes', '5']).warmupMinutes).toBe(2);
    expect(parseSoakOptions(['--minutes', '1440']).warmupMinutes).toBe(5);
    expect(parseSoakOptions(['--minutes', '60', '--out', 'x', '--warmup-minutes', '0']).warmupMinutes).toBe(
      0,
    );
  });

  it('attaches to a running deployment through --metrics', () => {
    const options = parseSoakOptions([
      '--minutes',
      '1440',
      '--metrics',
      'dashboard=http://127.0.0.1:19090/metrics',
      '--metrics',
      'worker-crypto=http://127.0.0.1:19091/metrics',
      '--database-url',
      'postgres://reader@127.0.0.1:15432/atc',
    ]);
    expect(options.attach).toEqual({
      roles: [
        { role: 'dashboard', metricsUrl: 'http://127.0.0.1:19090/metrics' },
        { role: 'worker-crypto', metricsUrl: 'http://127.0.0.1:19091/metrics' },
      ],
      databaseUrl: 'postgres://reader@127.0.0.1:15432/atc',
    });
    expect(parseSoakOptions(['--minutes', '10']).attach).toBeUndefined();
    expect(() => parseSoakOptions(['--minutes', '10', '--metrics', 'dashboard'])).toThrow(/ROLE=URL/);
    expect(() => parseSoakOptions(['--minutes', '10', '--database-url', 'postgres://x'])).toThrow(
      /go with --metrics/,
    );
  });

  it('refuses a missing or invalid figure and an unknown flag', () => {
    expect(() => parseSoakOptions([])).toThrow(/--minutes is required/);
    expect(() => parseSoakOptions(['--minutes', 'ten'])).toThrow(/positive number/);
    expect(() => parseSoakOptions(['--minutes', '10', '--warmup-minutes', '10'])).toThrow(/under --minutes/);
    expect(() => parseSoakOptions(['--minutes', '10', '--hours', '1'])).toThrow(/Unknown option/);
  });
});

describe('marketHoursStart', () => {
  it('is 15:00 UTC of today on a weekday and of Friday at a weekend', () => {
    expect(marketHoursStart(new Date('2026-12-08T01:00:00Z'))).toBe('2026-12-08T15:00:00.000Z');
    expect(marketHoursStart(new Date('2026-12-13T23:00:00Z'))).toBe('2026-12-11T15:00:00.000Z');
  });
});
