/**
 * Heartbeat phases: when the heartbeat last succeeded, how long its last run and each phase took, and
 * how runs ended in the last hour — from the database, so it covers the CronJob's one-shot runs — plus
 * the `atc heartbeat --loop` process's own metrics (local `atc up`).
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAt,
  atcDashboard,
  fromDatabase,
  IN_NAMESPACE,
  row,
  statPanel,
  timeSeriesPanel,
  UNIT,
} from './panels';

export const HEARTBEAT_PHASES_UID = 'atc-heartbeat-phases';

export function heartbeatPhasesDashboard(): Dashboard {
  return atcDashboard({
    uid: HEARTBEAT_PHASES_UID,
    title: 'atc / Heartbeat phases',
    description: 'Last success age and duration, per-phase durations and run outcomes of the heartbeat.',
    tags: ['heartbeat'],
  })
    .withRow(row('Last succeeded run'))
    .withPanel(
      statPanel({
        title: 'Since last success',
        description: 'Time since the last succeeded run ended. AtcHeartbeatStale fires after 15 minutes.',
        unit: UNIT.seconds,
        width: 8,
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
        title: 'Last duration',
        description: 'Duration of the last succeeded run. AtcHeartbeatSlow fires above 10 s.',
        unit: UNIT.seconds,
        width: 8,
        queries: [{ expr: fromDatabase('atc_heartbeat_last_success_duration_seconds'), legend: 'duration' }],
        thresholds: alertAt(10),
      }),
    )
    .withPanel(
      statPanel({
        title: 'Runs in the last hour',
        description: 'Heartbeat runs of the last hour by outcome (succeeded, failed, skipped).',
        unit: UNIT.count,
        width: 8,
        queries: [{ expr: fromDatabase('atc_heartbeat_runs_last_hour'), legend: '{{outcome}}' }],
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Last success duration',
        description: 'Duration of the last succeeded run over time; the dashed line is the 10 s alert.',
        unit: UNIT.seconds,
        queries: [{ expr: fromDatabase('atc_heartbeat_last_success_duration_seconds'), legend: 'duration' }],
        thresholds: alertAt(10),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Phase durations of the last succeeded run',
        description:
          'Each phase of the last succeeded run (atc_heartbeat_last_success_phase_duration_seconds), stacked: the top is the run.',
        unit: UNIT.seconds,
        stack: true,
        queries: [
          { expr: fromDatabase('atc_heartbeat_last_success_phase_duration_seconds'), legend: '{{phase}}' },
        ],
        thresholds: alertAt(10),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Runs by outcome (last hour)',
        description: 'atc_heartbeat_runs_last_hour over time: failed or skipped runs are worth a look.',
        unit: UNIT.count,
        width: 24,
        queries: [{ expr: fromDatabase('atc_heartbeat_runs_last_hour'), legend: '{{outcome}}' }],
      }),
    )
    .withRow(row('Heartbeat loop process (atc up, atc heartbeat --loop)'))
    .withPanel(
      timeSeriesPanel({
        title: 'Loop: last run and phase durations',
        description:
          'The loop process’s own gauges (atc_heartbeat_last_run_duration_seconds, atc_heartbeat_phase_duration_seconds); a CronJob install has none.',
        unit: UNIT.seconds,
        queries: [
          {
            expr: `max by (instance) (atc_heartbeat_last_run_duration_seconds{${IN_NAMESPACE}})`,
            legend: 'run {{instance}}',
          },
          {
            expr: `max by (phase) (atc_heartbeat_phase_duration_seconds{${IN_NAMESPACE}})`,
            legend: '{{phase}}',
          },
        ],
        thresholds: alertAt(10),
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Loop: runs by status',
        description: 'Runs of the loop process per interval (atc_heartbeat_runs_total) by status.',
        unit: UNIT.count,
        bars: true,
        queries: [
          {
            expr: `sum by (status) (increase(atc_heartbeat_runs_total{${IN_NAMESPACE}}[$__rate_interval]))`,
            legend: '{{status}}',
          },
        ],
      }),
    )
    .build();
}
