/**
 * The kill switch's cluster half: scale the labelled worker Deployments to 0 and suspend the
 * labelled CronJobs (the heartbeat), remembering what each was in an annotation on the object
 * itself, and put them back on restore. Idempotent: a second scale-down keeps the counts the first
 * one recorded (it never records the 0 it set). Best effort per object: one refusal does not stop
 * the others, and every object's result, good or bad, is in the returned outcomes.
 * @module
 */
import type { WorkloadOutcome } from '@atc/contracts';
import { type AnnotationPatch, KubeApiError, type KubeWorkloadsClient } from '@atc/platform';

/** On a scaled-down Deployment: its `spec.replicas` before the kill switch. */
export const REPLICAS_ANNOTATION = 'atc.trading/replicas-before-kill-switch';
/** On a suspended CronJob: its `spec.suspend` before the kill switch (`true` or `false`). */
export const SUSPEND_ANNOTATION = 'atc.trading/suspend-before-kill-switch';

function failure(kind: WorkloadOutcome['kind'], name: string, error: unknown): WorkloadOutcome {
  const status = error instanceof KubeApiError ? (error.status ?? null) : null;
  const message = error instanceof Error ? error.message : String(error);
  return { kind, name, result: 'failed', status, error: message };
}

/** Runs `step` for each item in turn; a throw becomes that item's `failed` outcome. */
async function eachObject<T extends { readonly name: string }>(
  kind: 'deployment' | 'cronjob',
  items: readonly T[],
  step: (item: T) => Promise<WorkloadOutcome>,
): Promise<WorkloadOutcome[]> {
  const outcomes: WorkloadOutcome[] = [];
  for (const item of items) {
    try {
      outcomes.push(await step(item));
    } catch (error) {
      outcomes.push(failure(kind, item.name, error));
    }
  }
  return outcomes;
}

/** Lists, or returns the one `failed` outcome that says the list itself was refused. */
async function listOrFail<T>(
  kind: 'deployment' | 'cronjob',
  list: () => Promise<readonly T[]>,
): Promise<{ items: readonly T[]; failed?: WorkloadOutcome }> {
  try {
    return { items: await list() };
  } catch (error) {
    return { items: [], failed: failure(kind, '*', error) };
  }
}

async function scaleDownDeployments(kube: KubeWorkloadsClient, selector: string) {
  const { items, failed } = await listOrFail('deployment', () => kube.listDeployments(selector));
  const outcomes = await eachObject('deployment', items, async (deployment) => {
    const recorded = deployment.annotations[REPLICAS_ANNOTATION];
    if (recorded === undefined && deployment.replicas === 0) {
      return { kind: 'deployment', name: deployment.name, result: 'unchanged' };
    }
    // Record first, then scale: a failure in between leaves a record that the next attempt keeps.
    if (recorded === undefined) {
      await kube.annotateDeployment(deployment.name, { [REPLICAS_ANNOTATION]: String(deployment.replicas) });
    }
    const before = recorded === undefined ? deployment.replicas : Number(recorded);
    if (deployment.replicas === 0) {
      return {
        kind: 'deployment',
        name: deployment.name,
        result: 'unchanged',
        replicas: { from: before, to: 0 },
      };
    }
    await kube.scaleDeployment(deployment.name, 0);
    return {
      kind: 'deployment',
      name: deployment.name,
      result: 'scaled_down',
      replicas: { from: before, to: 0 },
    };
  });
  return failed ? [failed, ...outcomes] : outcomes;
}

async function suspendCronJobs(kube: KubeWorkloadsClient, selector: string) {
  const { items, failed } = await listOrFail('cronjob', () => kube.listCronJobs(selector));
  const outcomes = await eachObject('cronjob', items, async (cronJob) => {
    const recorded = cronJob.annotations[SUSPEND_ANNOTATION];
    if (cronJob.suspend && recorded === undefined) {
      return { kind: 'cronjob', name: cronJob.name, result: 'unchanged' };
    }
    const before = recorded === undefined ? cronJob.suspend : recorded === 'true';
    if (cronJob.suspend) {
      return {
        kind: 'cronjob',
        name: cronJob.name,
        result: 'unchanged',
        suspend: { from: before, to: true },
      };
    }
    // One merge patch: the record and the suspension land together or not at all.
    const annotations: AnnotationPatch =
      recorded === undefined ? { [SUSPEND_ANNOTATION]: String(cronJob.suspend) } : {};
    await kube.patchCronJob(cronJob.name, { annotations, suspend: true });
    return { kind: 'cronjob', name: cronJob.name, result: 'suspended', suspend: { from: before, to: true } };
  });
  return failed ? [failed, ...outcomes] : outcomes;
}

/** Scales the selected Deployments to 0 and suspends the selected CronJobs. */
export async function scaleDownWorkloads(
  kube: KubeWorkloadsClient,
  selector: string,
): Promise<WorkloadOutcome[]> {
  return [...(await scaleDownDeployments(kube, selector)), ...(await suspendCronJobs(kube, selector))];
}

function recordedReplicas(value: string): number {
  const replicas = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(replicas)) {
    throw new Error(`annotation ${REPLICAS_ANNOTATION} is ${JSON.stringify(value)}, not a replica count`);
  }
  return replicas;
}

async function restoreDeployments(kube: KubeWorkloadsClient, selector: string) {
  const { items, failed } = await listOrFail('deployment', () => kube.listDeployments(selector));
  const outcomes = await eachObject('deployment', items, async (deployment) => {
    const recorded = deployment.annotations[REPLICAS_ANNOTATION];
    if (recorded === undefined) return { kind: 'deployment', name: deployment.name, result: 'unchanged' };
    const replicas = recordedReplicas(recorded);
    // Scale first, then drop the record: a failure in between leaves the record for a retry.
    await kube.scaleDeployment(deployment.name, replicas);
    await kube.annotateDeployment(deployment.name, { [REPLICAS_ANNOTATION]: null });
    return {
      kind: 'deployment',
      name: deployment.name,
      result: 'restored',
      replicas: { from: deployment.replicas, to: replicas },
    };
  });
  return failed ? [failed, ...outcomes] : outcomes;
}

async function restoreCronJobs(kube: KubeWorkloadsClient, selector: string) {
  const { items, failed } = await listOrFail('cronjob', () => kube.listCronJobs(selector));
  const outcomes = await eachObject('cronjob', items, async (cronJob) => {
    const recorded = cronJob.annotations[SUSPEND_ANNOTATION];
    if (recorded === undefined) return { kind: 'cronjob', name: cronJob.name, result: 'unchanged' };
    const suspend = recorded === 'true';
    await kube.patchCronJob(cronJob.name, { annotations: { [SUSPEND_ANNOTATION]: null }, suspend });
    return {
      kind: 'cronjob',
      name: cronJob.name,
      result: 'restored',
      suspend: { from: cronJob.suspend, to: suspend },
    };
  });
  return failed ? [failed, ...outcomes] : outcomes;
}

/** Puts back what `scaleDownWorkloads` recorded and removes the records; objects without one are left alone. */
export async function restoreWorkloads(
  kube: KubeWorkloadsClient,
  selector: string,
): Promise<WorkloadOutcome[]> {
  return [...(await restoreDeployments(kube, selector)), ...(await restoreCronJobs(kube, selector))];
}
