/**
 * System health overview: is every role up and ready, which build runs, are processes restarting or
 * starved (event-loop lag, memory, database pool), is trading halted, is the heartbeat alive.
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAt,
  atcDashboard,
  ENGAGED,
  fromDatabase,
  IN_NAMESPACE,
  IN_SERVICE,
  READY,
  row,
  statPanel,
  timeSeriesPanel,
  UNIT,
} from './panels';

export const SYSTEM_HEALTH_UID = 'atc-system-health';

export function systemHealthDashboard(): Dashboard {
  return atcDashboard({
    uid: SYSTEM_HEALTH_UID,
    title: 'atc / System health',
    description:
      'Roles ready, builds, restarts, event-loop lag, memory, database pools, halts and heartbeat.',
    tags: ['overview'],
    byService: true,
  })
    .withRow(row('Trading halts and heartbeat'))
    .withPanel(
      statPanel({
        title: 'Kill switch',
        description:
          'atc_kill_switch_engaged by scope (global or a market). AtcKillSwitchEngaged fires on 1.',
        unit: UNIT.none,
        queries: [{ expr: fromDatabase('atc_kill_switch_engaged'), legend: '{{scope}}' }],
        mappings: ENGAGED,
        thresholds: alertAt(1),
      }),
    )
    .withPanel(
      statPanel({
        title: 'Loss latch',
        description: 'The daily loss latch (atc_loss_latch_engaged). AtcLossLatchEngaged fires on 1.',
        unit: UNIT.none,
        queries: [{ expr: fromDatabase('atc_loss_latch_engaged'), legend: 'loss latch' }],
        mappings: ENGAGED,
        thresholds: alertAt(1),
      }),
    )
    .withPanel(
      statPanel({
        title: 'Heartbeat: since last success',
        description: 'Time since the last succeeded heartbeat run. AtcHeartbeatStale fires after 15 minutes.',
        unit: UNIT.seconds,
        queries: [
          {
            expr: `time() - ${fromDatabase('atc_heartbeat_last_success_timestamp_seconds')}`,
            legend: 'since last success',
          },
        ],
        thresholds: [
          ['green', null],
          ['orange', 300],
          ['red', 900],
        ],
      }),
    )
    .withPanel(
      statPanel({
        title: 'Heartbeat: last duration',
        description: 'Duration of the last succeeded heartbeat run. AtcHeartbeatSlow fires above 10 s.',
        unit: UNIT.seconds,
        queries: [{ expr: fromDatabase('atc_heartbeat_last_success_duration_seconds'), legend: 'duration' }],
        thresholds: alertAt(10),
      }),
    )
    .withRow(row('Roles'))
    .withPanel(
      statPanel({
        title: 'Roles ready',
        description:
          'atc_role_ready per role: the same checks as /health/ready, evaluated at scrape. AtcRoleNotReady fires on 0.',
        unit: UNIT.none,
        queries: [{ expr: `min by (service) (atc_role_ready{${IN_SERVICE}})`, legend: '{{service}}' }],
        mappings: READY,
        thresholds: [
          ['red', null],
          ['green', 1],
        ],
        width: 12,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Scrape targets down',
        description:
          'Targets of this namespace Prometheus could not scrape (up == 0). AtcRoleNotReady fires on them.',
        unit: UNIT.count,
        queries: [{ expr: `count(up{${IN_NAMESPACE}} == 0) or vector(0)`, legend: 'down' }],
        thresholds: alertAt(1),
      }),
    )
    .withPanel(
      statPanel({
        title: 'Builds running',
        description:
          'Processes per build version (atc_build_info); more than one version means a rollout is under way.',
        unit: UNIT.count,
        queries: [{ expr: `count by (version) (atc_build_info{${IN_SERVICE}})`, legend: '{{version}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Restarts (15 min window)',
        description:
          'Process starts per role in the last 15 minutes: changes(atc_process_start_time_seconds[15m]). AtcRoleRestarting fires above 2.',
        unit: UNIT.count,
        queries: [
          {
            expr: `sum by (service) (changes(atc_process_start_time_seconds{${IN_SERVICE}}[15m]))`,
            legend: '{{service}}',
          },
        ],
        thresholds: alertAt(3),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Event-loop lag',
        description: 'Node event-loop lag per process: the mean and p99 of the last sampling window.',
        unit: UNIT.seconds,
        queries: [
          {
            expr: `max by (service) (atc_nodejs_eventloop_lag_seconds{${IN_SERVICE}})`,
            legend: '{{service}} now',
          },
          {
            expr: `max by (service) (atc_nodejs_eventloop_lag_p99_seconds{${IN_SERVICE}})`,
            legend: '{{service}} p99',
          },
        ],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Resident memory',
        description: 'Resident set size per process (atc_process_resident_memory_bytes).',
        unit: UNIT.bytes,
        queries: [
          {
            expr: `max by (service, instance) (atc_process_resident_memory_bytes{${IN_SERVICE}})`,
            legend: '{{service}} {{instance}}',
          },
        ],
      }),
    )
    .withRow(row('Database pools'))
    .withPanel(
      timeSeriesPanel({
        title: 'Pool usage',
        description:
          'Connections held over the pool maximum, per process. AtcDatabasePoolSaturated fires above 80 %.',
        unit: UNIT.ratio,
        max: 1,
        queries: [
          {
            expr: `max by (service, instance, pool) (atc_db_pool_connections_total{${IN_SERVICE}} / atc_db_pool_connections_max{${IN_SERVICE}})`,
            legend: '{{service}} {{instance}} {{pool}}',
          },
        ],
        thresholds: alertAt(0.8),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Callers waiting for a connection',
        description: 'atc_db_pool_clients_waiting per process: above 0 the pool is the bottleneck.',
        unit: UNIT.count,
        queries: [
          {
            expr: `max by (service, instance, pool) (atc_db_pool_clients_waiting{${IN_SERVICE}})`,
            legend: '{{service}} {{instance}} {{pool}}',
          },
        ],
      }),
    )
    .build();
}
