import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../metrics';

/**
 * The outbound-call metrics every venue client shares. Labels are bounded: venue, endpoint (a route
 * template such as `place_order`, never an id) and outcome.
 */
export interface VenueMetrics {
  readonly requests: Counter<'venue' | 'endpoint' | 'outcome'>;
  readonly duration: Histogram<'venue' | 'endpoint'>;
  readonly retries: Counter<'venue' | 'endpoint'>;
  readonly rateLimited: Counter<'venue' | 'endpoint'>;
  readonly breakerState: Gauge<'venue'>;
}

const byRegistry = new WeakMap<Registry, VenueMetrics>();

/** One set per registry: several clients of one process share it, and a registry rejects duplicates. */
export function venueMetrics(registry: Registry): VenueMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: VenueMetrics = {
    requests: new Counter({
      name: `${METRIC_PREFIX}venue_requests_total`,
      help: 'Outbound venue HTTP attempts by venue, endpoint and outcome (ok, rejected, rate_limited, server_error, network_error, timeout, breaker_open).',
      labelNames: ['venue', 'endpoint', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: `${METRIC_PREFIX}venue_request_duration_seconds`,
      help: 'Latency of outbound venue HTTP attempts.',
      labelNames: ['venue', 'endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    retries: new Counter({
      name: `${METRIC_PREFIX}venue_retries_total`,
      help: 'Outbound venue calls retried after a retryable failure.',
      labelNames: ['venue', 'endpoint'],
      registers,
    }),
    rateLimited: new Counter({
      name: `${METRIC_PREFIX}venue_rate_limited_total`,
      help: 'HTTP 429 answers received from venues.',
      labelNames: ['venue', 'endpoint'],
      registers,
    }),
    breakerState: new Gauge({
      name: `${METRIC_PREFIX}venue_breaker_state`,
      help: 'Circuit breaker state per venue: 0 closed, 1 half-open (probing), 2 open.',
      labelNames: ['venue'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
