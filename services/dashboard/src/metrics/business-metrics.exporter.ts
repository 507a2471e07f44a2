/**
 * The business metrics, derived from the database, on the dashboard's admin `/metrics`
 * (docs/operations/metrics.md). The dashboard is the exporter: no extra Deployment, and it already
 * reads these tables for `/api/status`. Every replica exports the same values, so rules and panels
 * aggregate with `max without (instance, pod)`.
 *
 * Every gauge's `collect()` shares one snapshot per scrape: the read is single-flight, and a snapshot
 * answers every scrape for `cacheMs` (two Prometheus replicas scraping do not double the queries). A
 * failed read never fails the scrape: the previous values stay, `atc_exporter_errors_total` counts
 * it, and it is logged once per run of failures.
 * @module
 */
import type { Clock } from '@atc/contracts';
import { Counter, Histogram, type Logger, type Registry } from '@atc/platform';
import type { BusinessMetricsSnapshot, ReadBusinessMetricsOptions } from '@atc/trading';
import { businessGauges } from './business-metrics.gauges';

export type ReadSnapshot = (options: ReadBusinessMetricsOptions) => Promise<BusinessMetricsSnapshot>;

export interface BusinessMetricsExporterOptions {
  readonly registry: Registry;
  readonly read: ReadSnapshot;
  readonly clock: Clock;
  /** How long one snapshot answers scrapes; 0: every scrape reads (still one read per scrape). */
  readonly cacheMs: number;
  readonly logger: Logger;
}

export interface BusinessMetricsExporter {
  /** The snapshot the next scrape would export (reading it if the cached one is too old). */
  current(): Promise<BusinessMetricsSnapshot | undefined>;
}

export function registerBusinessMetrics(options: BusinessMetricsExporterOptions): BusinessMetricsExporter {
  const { registry, clock, logger } = options;
  // These two wait for the scrape's read too, so a scrape reports its own read's failure and timings.
  const errors = new Counter({
    name: 'atc_exporter_errors_total',
    help: 'Snapshots of the business metrics that failed to read (the previous values were kept).',
    registers: [registry],
    async collect() {
      await exporter.current();
    },
  });
  const queryDuration = new Histogram({
    name: 'atc_exporter_query_duration_seconds',
    help: 'Time each business-metrics query took.',
    labelNames: ['query'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
    async collect() {
      await exporter.current();
    },
  });
  let last: BusinessMetricsSnapshot | undefined;
  let lastSuccessSeconds = 0;
  let readAt: number | undefined;
  let inFlight: Promise<BusinessMetricsSnapshot | undefined> | undefined;
  let failing = false;

  async function refresh(): Promise<BusinessMetricsSnapshot | undefined> {
    const asOf = clock.now();
    try {
      last = await options.read({
        asOf,
        observe: (query, seconds) => queryDuration.observe({ query }, seconds),
      });
      lastSuccessSeconds = clock.now().getTime() / 1000;
      if (failing) logger.info('business metrics read again; exporting fresh values');
      failing = false;
    } catch (error) {
      errors.inc();
      if (!failing)
        logger.error({ err: error }, 'business metrics read failed; the previous values are kept');
      failing = true;
    }
    // A failure is remembered for the window too, so a failing database is not read on every scrape.
    readAt = asOf.getTime();
    return last;
  }

  const exporter: BusinessMetricsExporter = {
    current() {
      const fresh = readAt !== undefined && clock.now().getTime() - readAt < options.cacheMs;
      if (fresh) return Promise.resolve(last);
      inFlight ??= refresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
  businessGauges(registry, exporter, () => lastSuccessSeconds);
  return exporter;
}
