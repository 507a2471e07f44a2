import { parseSoakOptions } from './soak-options';

describe('parseSoakOptions', () => {
  it('takes the minutes and defaults the rest, the warm-up at most a fifth of the run', () => {
    expect(parseSoakOptions(['--minutes', '10'])).toEqual({
      minutes: 10,
      out: '.soak',
      sampleSeconds: 10,
      proposalSeconds: 5,
      warmupMinutes: 2,
      thresholdMibPerHour: 10,
    });
    expect(parseSoakOptions(['--minutes', '5']).warmupMinutes).toBe(1);
    expect(parseSoakOptions(['--minutes', '60', '--out', 'x', '--warmup-minutes', '0']).warmupMinutes).toBe(
      0,
    );
  });

  it('refuses a missing or invalid figure and an unknown flag', () => {
    expect(() => parseSoakOptions([])).toThrow(/--minutes is required/);
    expect(() => parseSoakOptions(['--minutes', 'ten'])).toThrow(/positive number/);
    expect(() => parseSoakOptions(['--minutes', '10', '--warmup-minutes', '10'])).toThrow(/under --minutes/);
    expect(() => parseSoakOptions(['--minutes', '10', '--hours', '1'])).toThrow(/Unknown option/);
  });
});
