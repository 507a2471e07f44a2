/**
 * `npm run soak -- --minutes N [--out DIR] [--sample-seconds S] [--proposal-seconds P]
 * [--warmup-minutes W] [--threshold-mib-per-hour T]`: parsed and checked before anything starts.
 * @module
 */
import { parseArgs } from 'node:util';

export interface SoakOptions {
  readonly minutes: number;
  readonly out: string;
  readonly sampleSeconds: number;
  readonly proposalSeconds: number;
  /** Samples of the first minutes are charted but left out of the verdict (start-up, JIT, caches filling). */
  readonly warmupMinutes: number;
  readonly thresholdMibPerHour: number;
}

export const SOAK_USAGE =
  'usage: npm run soak -- --minutes N [--out DIR (.soak)] [--sample-seconds S (10)] [--proposal-seconds P (5)] ' +
  '[--warmup-minutes W (2, at most a fifth of the run)] [--threshold-mib-per-hour T (10)]';

/** The default threshold, MiB of heap per hour: under it growth is not called a leak (docs/operations/soak.md). */
export const DEFAULT_THRESHOLD_MIB_PER_HOUR = 10;

function positive(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required\n${SOAK_USAGE}`);
    return fallback;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
}

export function parseSoakOptions(args: readonly string[]): SoakOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      minutes: { type: 'string' },
      out: { type: 'string' },
      'sample-seconds': { type: 'string' },
      'proposal-seconds': { type: 'string' },
      'warmup-minutes': { type: 'string' },
      'threshold-mib-per-hour': { type: 'string' },
    },
    strict: true,
  });
  const minutes = positive('minutes', values.minutes);
  const warmup = values['warmup-minutes'];
  const warmupMinutes = warmup === undefined ? Math.min(2, minutes / 5) : Number(warmup);
  if (!Number.isFinite(warmupMinutes) || warmupMinutes < 0 || warmupMinutes >= minutes) {
    throw new Error(`--warmup-minutes must be at least 0 and under --minutes, not "${warmup}"`);
  }
  return {
    minutes,
    out: values.out ?? '.soak',
    sampleSeconds: positive('sample-seconds', values['sample-seconds'], 10),
    proposalSeconds: positive('proposal-seconds', values['proposal-seconds'], 5),
    warmupMinutes,
    thresholdMibPerHour: positive(
      'threshold-mib-per-hour',
      values['threshold-mib-per-hour'],
      DEFAULT_THRESHOLD_MIB_PER_HOUR,
    ),
  };
}
