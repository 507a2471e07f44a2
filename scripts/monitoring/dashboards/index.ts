/**
 * Every Grafana dashboard of atc, built with @grafana/grafana-foundation-sdk. `npm run
 * dashboards:generate` writes them to k8s/monitoring/dashboards/<uid>.json and the chart's
 * files/dashboards/<uid>.json; `npm run dashboards:check` fails when the committed files drift.
 * @module
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { errorRatesDashboard } from './error-rates.dashboard';
import { heartbeatPhasesDashboard } from './heartbeat-phases.dashboard';
import { systemHealthDashboard } from './system-health.dashboard';
import { tradeExecutionDashboard } from './trade-execution.dashboard';
import { workerQueuesDashboard } from './worker-queues.dashboard';

export const DASHBOARDS: ReadonlyArray<() => Dashboard> = [
  systemHealthDashboard,
  tradeExecutionDashboard,
  workerQueuesDashboard,
  errorRatesDashboard,
  heartbeatPhasesDashboard,
];
