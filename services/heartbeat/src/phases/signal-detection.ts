/**
 * intel's detectors over the stored price samples of one instrument (oldest first). Pure, so the
 * rules are unit-tested directly; README.md states them for people.
 *
 * - momentum: the return from the first to the last sample of the lookback is at least
 *   `momentumThreshold` (long) or at most its negative (short);
 * - breakout: the last price is above the highest earlier sample by more than `breakoutMargin`
 *   (long), or below the lowest by more than it (short);
 * - volume spike: with cumulative volumes, the last increment is at least `volumeSpikeMultiple`
 *   times the mean of the earlier increments; it confirms a direction, never makes one.
 *
 * When momentum and breakout disagree there is no signal. Confidence: 0.65 for one directional
 * detector, 0.8 for both, plus 0.05 for a volume spike, capped at 0.9.
 * @module
 */
import Decimal from 'decimal.js';

export interface PriceSample {
  readonly last: string;
  readonly volume: string | null;
}

export interface DetectorSettings {
  readonly minSamples: number;
  readonly momentumThreshold: number;
  readonly breakoutMargin: number;
  readonly volumeSpikeMultiple: number;
}

export type SignalKind = 'momentum' | 'breakout' | 'volume_spike';

export interface DetectedSignal {
  readonly direction: 'long' | 'short';
  readonly kinds: SignalKind[];
  readonly confidence: number;
  readonly last: string;
  /** Return over the lookback, as a fraction. */
  readonly change: string;
}

type Direction = 'long' | 'short' | null;

function momentum(prices: Decimal[], threshold: number): Direction {
  const change = prices[prices.length - 1]!.dividedBy(prices[0]!).minus(1);
  if (change.gte(threshold)) return 'long';
  if (change.lte(-threshold)) return 'short';
  return null;
}

function breakout(prices: Decimal[], margin: number): Direction {
  const last = prices[prices.length - 1]!;
  const earlier = prices.slice(0, -1);
  const high = Decimal.max(...earlier);
  const low = Decimal.min(...earlier);
  if (last.gt(high.times(1 + margin))) return 'long';
  if (last.lt(low.times(1 - margin))) return 'short';
  return null;
}

function volumeSpike(samples: readonly PriceSample[], multiple: number): boolean {
  const volumes = samples.map((s) => (s.volume === null ? null : new Decimal(s.volume)));
  if (volumes.some((v) => v === null) || volumes.length < 3) return false;
  const steps = volumes.slice(1).map((v, i) => Decimal.max(0, v!.minus(volumes[i]!)));
  const lastStep = steps[steps.length - 1]!;
  const earlier = steps.slice(0, -1);
  const mean = earlier.reduce((sum, v) => sum.plus(v), new Decimal(0)).dividedBy(earlier.length);
  return mean.gt(0) && lastStep.gte(mean.times(multiple));
}

export function detectSignal(
  samples: readonly PriceSample[],
  settings: DetectorSettings,
): DetectedSignal | null {
  if (samples.length < Math.max(3, settings.minSamples)) return null;
  const prices = samples.map((s) => new Decimal(s.last));
  const byMomentum = momentum(prices, settings.momentumThreshold);
  const byBreakout = breakout(prices, settings.breakoutMargin);
  if (byMomentum && byBreakout && byMomentum !== byBreakout) return null;
  const direction = byMomentum ?? byBreakout;
  if (!direction) return null;
  const kinds: SignalKind[] = [];
  if (byMomentum) kinds.push('momentum');
  if (byBreakout) kinds.push('breakout');
  const spike = volumeSpike(samples, settings.volumeSpikeMultiple);
  if (spike) kinds.push('volume_spike');
  const base = byMomentum && byBreakout ? 0.8 : 0.65;
  const confidence = Math.min(0.9, base + (spike ? 0.05 : 0));
  const change = prices[prices.length - 1]!.dividedBy(prices[0]!).minus(1);
  return {
    direction,
    kinds,
    confidence,
    last: prices[prices.length - 1]!.toFixed(),
    change: change.toFixed(6),
  };
}
