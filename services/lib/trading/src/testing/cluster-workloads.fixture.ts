import type { FakeKubeApi } from '@atc/platform/testing';

/** The release the fake cluster holds: what `helm install atc charts/atc` would create. */
export const RELEASE = 'atc';
/** What the chart sets K8S_KILL_SWITCH_SELECTOR to for release `atc`. */
export const RELEASE_SELECTOR = `app.kubernetes.io/instance=${RELEASE},atc.trading/kill-switch=scale-down`;

const killSwitchLabels = (instance: string) => ({
  'app.kubernetes.io/instance': instance,
  'atc.trading/kill-switch': 'scale-down',
});

/** The worker replica counts the fake starts with (the chart's names). */
export const WORKER_REPLICAS: Readonly<Record<string, number>> = {
  [`${RELEASE}-worker-crypto`]: 2,
  [`${RELEASE}-worker-options`]: 1,
  [`${RELEASE}-worker-futures`]: 3,
  [`${RELEASE}-worker-roundtable`]: 1,
};
export const HEARTBEAT = `${RELEASE}-heartbeat`;

/**
 * The chart's workers and heartbeat (labelled for the kill switch), plus what must stay untouched:
 * the dashboard (not labelled) and another release's labelled worker.
 */
export function seedRelease(api: FakeKubeApi): void {
  api.deployments.clear();
  api.cronJobs.clear();
  for (const [name, replicas] of Object.entries(WORKER_REPLICAS)) {
    api.deployments.set(name, { name, replicas, labels: killSwitchLabels(RELEASE), annotations: {} });
  }
  const dashboard = { name: `${RELEASE}-dashboard`, replicas: 2, annotations: {} };
  api.deployments.set(dashboard.name, { ...dashboard, labels: { 'app.kubernetes.io/instance': RELEASE } });
  const other = { name: 'other-worker-crypto', replicas: 4, annotations: {} };
  api.deployments.set(other.name, { ...other, labels: killSwitchLabels('other') });
  api.cronJobs.set(HEARTBEAT, {
    name: HEARTBEAT,
    suspend: false,
    labels: killSwitchLabels(RELEASE),
    annotations: {},
  });
  api.requests.length = 0;
  api.faults.length = 0;
}

/** Each Deployment's replicas, by name. */
export function replicasOf(api: FakeKubeApi): Record<string, number> {
  return Object.fromEntries([...api.deployments.values()].map((item) => [item.name, item.replicas]));
}
