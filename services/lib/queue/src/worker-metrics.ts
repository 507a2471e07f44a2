import { Counter, Gauge, Histogram, type Registry } from '@atc/platform';

/**
 * The worker's metrics; labels are bounded (market, kind, outcome), never ids. Queue depth is not
 * here: the dashboard exports it from the database once per deployment (docs/operations/metrics.md).
 */
export interface WorkerMetrics {
  readonly steps: Counter<'market' | 'kind' | 'outcome'>;
  readonly stepDuration: Histogram<'market' | 'kind'>;
  readonly claimDuration: Histogram<'market'>;
  readonly inFlight: Gauge<'market'>;
  readonly leasesLost: Counter<'market'>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  return {
    steps: new Counter({
      name: 'atc_worker_steps_total',
      help: 'Steps a worker finished, by outcome (succeeded, failed, retry, dead, needs_reconciliation, lease_lost).',
      labelNames: ['market', 'kind', 'outcome'],
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: 'atc_worker_step_duration_seconds',
      help: 'From claim to settled, per step.',
      labelNames: ['market', 'kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    claimDuration: new Histogram({
      name: 'atc_worker_claim_duration_seconds',
      help: 'Time one claim query took.',
      labelNames: ['market'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'atc_worker_steps_in_flight',
      help: 'Steps this worker is executing now.',
      labelNames: ['market'],
      registers: [registry],
    }),
    leasesLost: new Counter({
      name: 'atc_worker_leases_lost_total',
      help: 'Steps whose lease this worker lost before finishing (another worker or the reaper took them).',
      labelNames: ['market'],
      registers: [registry],
    }),
  };
}
