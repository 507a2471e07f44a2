import { fitSlope, leakVerdict, tQuantile975, type Point } from './soak-stats';

const MB = 1024 * 1024;

/** Samples every 10 s for `minutes`, with a deterministic saw-tooth standing in for the collector. */
function series(minutes: number, slopePerHour: number, sawtooth: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= minutes * 6; i += 1) {
    const hours = (i * 10) / 3600;
    points.push({ hours, value: 50 * MB + slopePerHour * hours + sawtooth * ((i % 6) / 5 - 0.5) });
  }
  return points;
}

describe('tQuantile975', () => {
  it('matches the table and the large-sample normal quantile', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(20)).toBeCloseTo(2.086, 2);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 2);
    expect(() => tQuantile975(0)).toThrow(/positive integer/);
  });
});

describe('fitSlope', () => {
  it('recovers an exact line with a zero-width interval', () => {
    const fit = fitSlope([0, 1, 2, 3].map((hours) => ({ hours, value: 5 + 2 * hours })));
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.high - fit.low).toBeCloseTo(0, 10);
  });

  it('refuses too few samples or a single instant', () => {
    expect(() => fitSlope([{ hours: 0, value: 1 }])).toThrow(/3 samples/);
    expect(() => fitSlope([0, 0, 0].map((hours) => ({ hours, value: hours })))).toThrow(/same time/);
  });
});

describe('leakVerdict', () => {
  const threshold = 10 * MB;

  it('suspects a leak when the heap grows steadily faster than the threshold', () => {
    const verdict = leakVerdict(series(10, 60 * MB, 4 * MB), threshold);
    expect(verdict.verdict).toBe('leak suspected');
    expect(Math.abs(verdict.slope / MB - 60)).toBeLessThan(5);
    expect(verdict.low).toBeGreaterThan(threshold);
  });

  it('finds no leak in a flat saw-tooth', () => {
    const verdict = leakVerdict(series(10, 0, 8 * MB), threshold);
    expect(verdict.verdict).toBe('no leak');
    expect(verdict.low).toBeLessThanOrEqual(0);
    expect(verdict.high).toBeGreaterThanOrEqual(0);
  });

  it('finds no leak when a steep slope is not told apart from noise', () => {
    const noisy = [0, 60, -30, 90].map((mb, hours) => ({ hours, value: mb * MB }));
    const verdict = leakVerdict(noisy, threshold);
    expect(verdict.slope / MB).toBeCloseTo(18, 6);
    expect(verdict).toMatchObject({ verdict: 'no leak', why: 'the 95 % interval includes 0' });
  });

  it('finds no leak when the growth is certain but under the threshold', () => {
    const verdict = leakVerdict(series(10, 2 * MB, 0), threshold);
    expect(verdict.low).toBeGreaterThan(0);
    expect(verdict).toMatchObject({ verdict: 'no leak', why: 'the slope is under the threshold' });
  });
});
