/**
 * Every Grafana dashboard of atc, built with @grafana/grafana-foundation-sdk. `npm run
 * dashboards:generate` writes them to k8s/monitoring/dashboards/<uid>.json and the chart's
 * files/dashboards/<uid>.json; `npm run dashboards:check` fails when the committed files drift.
 * @module
 */
import path from 'node:path';
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

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where the generated files go, relative to the repository root. */
export const DASHBOARD_DIRECTORIES = ['k8s/monitoring/dashboards', 'charts/atc/files/dashboards'] as const;

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Numbers panels 1..n in reading order (rows included) and their queries A, B, …. */
function numberPanels(dashboard: Dashboard): void {
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    panel.id = ++id;
    if (!('targets' in panel)) continue;
    (panel.targets ?? []).forEach((target, index) => {
      (target as { refId?: string }).refId = REF_IDS[index];
    });
  }
}

/** A copy of `value` whose objects list their keys in sorted order, so the text never reorders. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** Every dashboard as Grafana reads it: panels and queries numbered, keys sorted. */
export function buildDashboards(): Dashboard[] {
  const dashboards = DASHBOARDS.map((build) => {
    const dashboard = build();
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title}" has no uid`);
    numberPanels(dashboard);
    return sortKeys(dashboard) as Dashboard;
  });
  const uids = dashboards.map((d) => d.uid);
  const duplicate = uids.find((uid, index) => uids.indexOf(uid) !== index);
  if (duplicate) throw new Error(`two dashboards share the uid ${duplicate}`);
  return dashboards;
}
