/**
 * The kill switch with its cluster half (`atc kill-switch on --scale-down`, `off --restore`, and the
 * API's `scaleDown` / `restore`). The database halt comes first and stays the source of truth: it is
 * committed before the first Kubernetes request, and nothing the cluster answers can undo it. Then
 * the workloads are scaled down (or restored), and every outcome — scaled, suspended, unchanged,
 * failed with its status — is appended to the audit log with the actor, in one transaction.
 * @module
 */
import type { Clock, HaltsState, KillSwitchClusterReport, WorkloadOutcome } from '@atc/contracts';
import { type KubeWorkloadsClient, type Pool, withTransaction } from '@atc/platform';
import { appendAudit } from './audit-log';
import { restoreWorkloads, scaleDownWorkloads } from './cluster-workloads';
import { engageKillSwitch, releaseKillSwitch } from './kill-switch';

/** How to reach the cluster: a label selector and a connector (called only after the halt commits). */
export interface ClusterAccess {
  readonly selector: string;
  connect(): Promise<KubeWorkloadsClient>;
}

export interface KillSwitchChangeResult {
  readonly halts: HaltsState;
  readonly cluster: KillSwitchClusterReport;
}

type ClusterAction = KillSwitchClusterReport['action'];

async function runInCluster(
  access: ClusterAccess,
  action: ClusterAction,
): Promise<Omit<KillSwitchClusterReport, 'ok'>> {
  let kube: KubeWorkloadsClient;
  try {
    kube = await access.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const status = (error as { status?: unknown }).status;
    const outcome: WorkloadOutcome = {
      kind: 'cluster',
      name: '*',
      result: 'failed',
      status: typeof status === 'number' ? status : null,
      error: message,
    };
    return { action, namespace: null, selector: access.selector, outcomes: [outcome] };
  }
  const outcomes =
    action === 'scale_down'
      ? await scaleDownWorkloads(kube, access.selector)
      : await restoreWorkloads(kube, access.selector);
  return { action, namespace: kube.namespace, selector: access.selector, outcomes };
}

/** One audit row per outcome, subject `<namespace>/<name>`, so `atc audit` shows what happened to each object. */
async function auditOutcomes(pool: Pool, by: string, report: KillSwitchClusterReport): Promise<void> {
  await withTransaction(pool, async (client) => {
    for (const outcome of report.outcomes) {
      const { kind, name, ...details } = outcome;
      await appendAudit(client, {
        actor: by,
        action: `kill_switch.${report.action}`,
        subjectType: kind,
        subjectId: `${report.namespace ?? '?'}/${name}`,
        details: { ...details, selector: report.selector },
      });
    }
  });
}

async function clusterHalf(
  pool: Pool,
  by: string,
  access: ClusterAccess,
  action: ClusterAction,
): Promise<KillSwitchClusterReport> {
  const partial = await runInCluster(access, action);
  const report = { ...partial, ok: partial.outcomes.every((outcome) => outcome.result !== 'failed') };
  await auditOutcomes(pool, by, report);
  return report;
}

/** Engages the kill switch (committed first), then scales down the cluster's labelled workloads. */
export async function engageKillSwitchAndScaleDown(
  pool: Pool,
  request: {
    readonly reason: string;
    readonly by: string;
    readonly clock?: Clock;
    readonly cluster: ClusterAccess;
  },
): Promise<KillSwitchChangeResult> {
  const { cluster, ...halt } = request;
  const halts = await engageKillSwitch(pool, halt);
  return { halts, cluster: await clusterHalf(pool, request.by, cluster, 'scale_down') };
}

/**
 * Releases the kill switch (committed first), then restores what a scale-down recorded. A failed
 * restore leaves workers stopped while trading is allowed: the safe side, and `ok: false` says so.
 */
export async function releaseKillSwitchAndRestore(
  pool: Pool,
  request: {
    readonly reason?: string;
    readonly by: string;
    readonly clock?: Clock;
    readonly cluster: ClusterAccess;
  },
): Promise<KillSwitchChangeResult> {
  const { cluster, ...release } = request;
  const halts = await releaseKillSwitch(pool, release);
  return { halts, cluster: await clusterHalf(pool, request.by, cluster, 'restore') };
}
