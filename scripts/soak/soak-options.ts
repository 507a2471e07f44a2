/**
 * `npm run soak -- --minutes N [--out DIR] [--sample-seconds S] [--proposal-seconds P]
 * [--warmup-minutes W] [--threshold-mib-per-hour T]`, and to soak a running deployment instead of
 * a local `atc up`: `--metrics ROLE=URL` (repeated) `[--database-url URL] [--dashboard-url URL]`.
 * Parsed and checked before anything starts.
 * @module
 */
import { parseArgs } from 'node:util';
import type { SampledRole } from './soak-sampler';

export interface SoakOptions {
  readonly minutes: number;
  readonly out: string;
  readonly sampleSeconds: number;
  readonly proposalSeconds: number;
  /** Samples of the first minutes are charted but left out of the verdict (start-up, JIT, caches filling). */
  readonly warmupMinutes: number;
  readonly thresholdMibPerHour: number;
  /** Set: sample these /metrics URLs (port-forwards to a cluster's pods) instead of starting `atc up`. */
  readonly attach?: {
    readonly roles: readonly SampledRole[];
    /** pg_stat_activity is read through it (a read-only role is enough); without it, no connection counts. */
    readonly databaseUrl?: string;
    /** With ATC_API_KEY in the environment, proposals are submitted here too; without, no load is added. */
    readonly dashboardUrl?: string;
  };
}

export const SOAK_USAGE =
  'usage: npm run soak -- --minutes N [--out DIR (.soak)] [--sample-seconds S (10)] [--proposal-seconds P (5)] ' +
  '[--warmup-minutes W (5, at most 40 % of the run)] [--threshold-mib-per-hour T (15)] ' +
  '[--metrics ROLE=URL ... [--database-url URL] [--dashboard-url URL]: a running deployment instead of atc up]';

function parseMetricsFlag(text: string): SampledRole {
  const match = /^([a-z][a-z0-9-]*)=(https?:\/\/\S+)$/.exec(text);
  if (!match)
    throw new Error(
      `--metrics must be ROLE=URL (worker-crypto=http://127.0.0.1:19101/metrics), not "${text}"`,
    );
  return { role: match[1]!, metricsUrl: match[2]! };
}

/** The default threshold, MiB of heap per hour: under it growth is not called a leak (docs/operations/soak.md). */
export const DEFAULT_THRESHOLD_MIB_PER_HOUR = 15;

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
      metrics: { type: 'string', multiple: true },
      'database-url': { type: 'string' },
      'dashboard-url': { type: 'string' },
    },
    strict: true,
  });
  const minutes = positive('minutes', values.minutes);
  const warmup = values['warmup-minutes'];
  const warmupMinutes = warmup === undefined ? Math.min(5, minutes * 0.4) : Number(warmup);
  if (!Number.isFinite(warmupMinutes) || warmupMinutes < 0 || warmupMinutes >= minutes) {
    throw new Error(`--warmup-minutes must be at least 0 and under --minutes, not "${warmup}"`);
  }
  const roles = (values.metrics ?? []).map(parseMetricsFlag);
  if (roles.length === 0 && (values['database-url'] || values['dashboard-url'])) {
    throw new Error('--database-url and --dashboard-url go with --metrics (a running deployment)');
  }
  const databaseUrl = values['database-url'];
  const dashboardUrl = values['dashboard-url'];
  return {
    ...(roles.length > 0
      ? {
          attach: {
            roles,
            ...(databaseUrl ? { databaseUrl } : {}),
            ...(dashboardUrl ? { dashboardUrl } : {}),
          },
        }
      : {}),
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

/** 15:00 UTC of the latest weekday: 10:00 or 11:00 in New York, inside the options market's hours. */
export function marketHoursStart(now: Date): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 15));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString();
}
