/**
 * Worker queues: how much work waits (queue depth, oldest queued step), how the workers get through
 * it (outcomes, step and claim durations, in flight, leases lost), and what needs a human
 * (reconciliation backlog and its age, position drift).
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAt,
  atcDashboard,
  fromDatabase,
  IN_SERVICE,
  row,
  statPanel,
  timeSeriesPanel,
  UNIT,
} from './panels';

export const WORKER_QUEUES_UID = 'atc-worker-queues';

const RATE = '$__rate_interval';

function quantileOf(histogram: string, quantile: number, by: string): string {
  return `histogram_quantile(${quantile}, sum by (${by}, le) (rate(${histogram}_bucket{${IN_SERVICE}}[${RATE}])))`;
}

export function workerQueuesDashboard(): Dashboard {
  return atcDashboard({
    uid: WORKER_QUEUES_UID,
    title: 'atc / Worker queues',
    description:
      'Queue depth and age, step outcomes and durations, claims, leases, reconciliation backlog and position drift.',
    tags: ['workers'],
    byService: true,
  })
    .withRow(row('Queue'))
    .withPanel(
      statPanel({
        title: 'Queued steps by market',
        description: 'Steps waiting to be claimed. AtcQueueDepthHigh fires above 50.',
        unit: UNIT.count,
        queries: [
          {
            expr: `sum by (market) (${fromDatabase('atc_queue_depth', 'status="queued"')})`,
            legend: '{{market}}',
          },
        ],
        thresholds: [
          ['green', null],
          ['orange', 25],
          ['red', 51],
        ],
        width: 12,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Oldest queued step',
        description: 'Age of the oldest queued step per market (atc_queue_oldest_queued_age_seconds).',
        unit: UNIT.seconds,
        queries: [{ expr: fromDatabase('atc_queue_oldest_queued_age_seconds'), legend: '{{market}}' }],
        thresholds: alertAt(300),
        width: 12,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Queue depth by market and status',
        description:
          'Non-terminal steps (atc_queue_depth): queued, running, executing, needs_reconciliation.',
        unit: UNIT.count,
        width: 24,
        queries: [{ expr: fromDatabase('atc_queue_depth'), legend: '{{market}} {{status}}' }],
        thresholds: alertAt(50),
      }),
    )
    .withRow(row('Workers'))
    .withPanel(
      timeSeriesPanel({
        title: 'Steps by outcome',
        description:
          'Steps the workers finished per second (atc_worker_steps_total): succeeded, failed, retry, dead, needs_reconciliation, lease_lost.',
        unit: UNIT.opsPerSecond,
        stack: true,
        queries: [
          {
            expr: `sum by (outcome) (rate(atc_worker_steps_total{${IN_SERVICE}}[${RATE}]))`,
            legend: '{{outcome}}',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Step duration p99',
        description: 'From claim to settled (atc_worker_step_duration_seconds), by market and kind.',
        unit: UNIT.seconds,
        queries: [
          {
            expr: quantileOf('atc_worker_step_duration_seconds', 0.99, 'market, kind'),
            legend: '{{market}} {{kind}}',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Claim duration p50 / p99',
        description: 'Time one claim query took (atc_worker_claim_duration_seconds), by market.',
        unit: UNIT.seconds,
        width: 8,
        queries: [
          { expr: quantileOf('atc_worker_claim_duration_seconds', 0.5, 'market'), legend: '{{market}} p50' },
          { expr: quantileOf('atc_worker_claim_duration_seconds', 0.99, 'market'), legend: '{{market}} p99' },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Steps in flight',
        description: 'Steps the workers are executing now (atc_worker_steps_in_flight), by market.',
        unit: UNIT.count,
        width: 8,
        queries: [
          { expr: `sum by (market) (atc_worker_steps_in_flight{${IN_SERVICE}})`, legend: '{{market}}' },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Leases lost',
        description:
          'Steps whose lease a worker lost before finishing (atc_worker_leases_lost_total), per interval.',
        unit: UNIT.count,
        width: 8,
        bars: true,
        queries: [
          {
            expr: `sum by (market) (increase(atc_worker_leases_lost_total{${IN_SERVICE}}[${RATE}]))`,
            legend: '{{market}}',
          },
        ],
      }),
    )
    .withRow(row('Reconciliation'))
    .withPanel(
      timeSeriesPanel({
        title: 'Reconciliation backlog',
        description:
          'Steps needing reconciliation per market (atc_reconciliation_backlog). AtcReconciliationBacklog fires on it.',
        unit: UNIT.count,
        width: 8,
        queries: [{ expr: fromDatabase('atc_reconciliation_backlog'), legend: '{{market}}' }],
        thresholds: alertAt(1),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Oldest step needing reconciliation',
        description:
          'Age of the oldest step needing reconciliation (atc_reconciliation_oldest_age_seconds). AtcReconciliationStale fires on it.',
        unit: UNIT.seconds,
        width: 8,
        queries: [{ expr: fromDatabase('atc_reconciliation_oldest_age_seconds'), legend: '{{market}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Position drift',
        description:
          'Open positions whose venue state differs from the book, found by reconciliation (atc_position_drift). AtcPositionDrift fires above 0.',
        unit: UNIT.count,
        width: 8,
        queries: [{ expr: fromDatabase('atc_position_drift'), legend: '{{market}}' }],
        thresholds: alertAt(1),
      }),
    )
    .build();
}
