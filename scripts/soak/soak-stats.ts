/**
 * The soak's leak verdict: a least-squares line through one role's heap samples, its slope per hour
 * and the slope's 95 % confidence interval (Student's t on n − 2 degrees of freedom).
 * @module
 */

export interface Point {
  /** Hours since the first sample kept. */
  readonly hours: number;
  readonly value: number;
}

export interface SlopeFit {
  readonly samples: number;
  /** Units of `value` per hour. */
  readonly slope: number;
  readonly low: number;
  readonly high: number;
}

/** Two-sided 97.5 % quantiles of Student's t for 1–10 degrees of freedom. */
const T_975_SMALL = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
const Z_975 = 1.959964;

/** t(0.975, df): a table up to 10, then the Cornish–Fisher expansion (within 0.003 of the exact value). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new Error(`degrees of freedom must be a positive integer, not ${df}`);
  if (df <= T_975_SMALL.length) return T_975_SMALL[df - 1]!;
  const z = Z_975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** Ordinary least squares of value on hours; needs three points with at least two distinct times. */
export function fitSlope(points: readonly Point[]): SlopeFit {
  const n = points.length;
  if (n < 3) throw new Error(`a slope with a confidence interval needs 3 samples, not ${n}`);
  const meanX = points.reduce((sum, p) => sum + p.hours, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.hours - meanX) ** 2;
    sxy += (p.hours - meanX) * (p.value - meanY);
  }
  if (sxx === 0) throw new Error('every sample has the same time: no slope');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((sum, p) => sum + (p.value - intercept - slope * p.hours) ** 2, 0);
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  const half = tQuantile975(n - 2) * standardError;
  return { samples: n, slope, low: slope - half, high: slope + half };
}

export type Verdict = 'no leak' | 'leak suspected';

export interface LeakVerdict extends SlopeFit {
  readonly verdict: Verdict;
  readonly why: string;
}

/**
 * "no leak" when the interval includes 0 (the growth is not told apart from noise) or the slope is
 * under `thresholdPerHour` (growth too slow to matter: a cache filling, a JIT warming); "leak
 * suspected" otherwise.
 */
export function leakVerdict(points: readonly Point[], thresholdPerHour: number): LeakVerdict {
  const fit = fitSlope(points);
  if (fit.low <= 0 && fit.high >= 0)
    return { ...fit, verdict: 'no leak', why: 'the 95 % interval includes 0' };
  if (fit.slope < thresholdPerHour)
    return { ...fit, verdict: 'no leak', why: 'the slope is under the threshold' };
  return {
    ...fit,
    verdict: 'leak suspected',
    why: 'the interval excludes 0 and the slope is over the threshold',
  };
}
