/**
 * The chart's rules, each a function from the rendered objects to its violations (empty when the
 * rule holds). The tests apply them to every scenario, and to hand-broken objects and a mutated copy
 * of the chart to show each one can fail.
 *
 * @module
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { objectName, type KubeObject } from './render';
import { allContainers, at, envValue, ofKind, selects, workloads, type Workload } from './workloads';

/** The drain timeout a role uses when SHUTDOWN_TIMEOUT_MS is not set (README, Environment). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25000;
export const DEFAULT_ADMIN_PORT = 9090;
/** What the admin server answers (services/lib/platform/src/admin-server.ts): liveness without I/O, and readiness. */
export const LIVENESS_PATH = '/health';
export const READINESS_PATH = '/health/ready';

function where(workload: Workload, container?: IContainer): string {
  return container
    ? `${objectName(workload.object)} container ${container.name}`
    : objectName(workload.object);
}

/**
 * Every container (init containers and the helm test pod's included): non-root, read-only root
 * filesystem, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault (pod or container).
 */
export function securityContextViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of workloads(objects)) {
    const pod = workload.template.spec.securityContext;
    for (const container of allContainers(workload.template.spec)) {
      const own = container.securityContext;
      const checks: [boolean, string][] = [
        [(own?.runAsNonRoot ?? pod?.runAsNonRoot) === true, 'runAsNonRoot is not true'],
        [own?.readOnlyRootFilesystem === true, 'readOnlyRootFilesystem is not true'],
        [own?.allowPrivilegeEscalation === false, 'allowPrivilegeEscalation is not false'],
        [own?.capabilities?.drop?.includes('ALL') === true, 'capabilities do not drop ALL'],
        [
          (own?.seccompProfile?.type ?? pod?.seccompProfile?.type) === 'RuntimeDefault',
          'seccompProfile is not RuntimeDefault',
        ],
      ];
      const broken = checks.filter(([holds]) => !holds).map(([, problem]) => problem);
      violations.push(...broken.map((problem) => `${where(workload, container)}: ${problem}`));
    }
  }
  return violations;
}

/** Every container requests CPU and memory and has a memory limit. */
export function resourceViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of workloads(objects)) {
    for (const container of allContainers(workload.template.spec)) {
      const { requests, limits } = container.resources ?? {};
      const missing = [
        ...['cpu', 'memory']
          .filter((resource) => requests?.[resource] === undefined)
          .map((r) => `no ${r} request`),
        ...(limits?.memory === undefined ? ['no memory limit'] : []),
      ];
      violations.push(...missing.map((problem) => `${where(workload, container)}: ${problem}`));
    }
  }
  return violations;
}

function probePort(probe: IProbe | undefined, container: IContainer): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/**
 * Deployments' containers (the long-running roles) have startup, liveness and readiness probes on
 * the admin port: liveness on LIVENESS_PATH, readiness on READINESS_PATH (any other path would 404,
 * and the kubelet would restart a healthy pod forever).
 */
export function probeViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of workloads(ofKind(objects, 'Deployment'))) {
    for (const container of workload.template.spec.containers) {
      const adminPort = Number(envValue(container, 'ADMIN_PORT', objects) ?? DEFAULT_ADMIN_PORT);
      const probes: [string, IProbe | undefined, string | undefined][] = [
        ['startupProbe', container.startupProbe, undefined],
        ['livenessProbe', container.livenessProbe, LIVENESS_PATH],
        ['readinessProbe', container.readinessProbe, READINESS_PATH],
      ];
      for (const [kind, probe, path] of probes) {
        const subject = `${where(workload, container)}: ${kind}`;
        if (!probe) {
          violations.push(`${subject} missing`);
          continue;
        }
        if (probePort(probe, container) !== adminPort)
          violations.push(`${subject} is not on the admin port ${adminPort}`);
        if (path !== undefined && probe.httpGet?.path !== path)
          violations.push(`${subject} does not get ${path}`);
      }
    }
  }
  return violations;
}

/**
 * Every Deployment has exactly one PodDisruptionBudget selecting its pods (except those in `optedOut`,
 * whose budget the values switched off: they have none), and no budget selects another's pods.
 */
export function disruptionBudgetViolations(
  objects: KubeObject[],
  optedOut: ReadonlySet<string> = new Set(),
): string[] {
  const violations: string[] = [];
  const deployments = workloads(ofKind(objects, 'Deployment'));
  const budgets = ofKind(objects, 'PodDisruptionBudget');
  for (const workload of deployments) {
    const mine = budgets.filter((budget) =>
      selects(at(budget, 'spec', 'selector'), workload.template.metadata?.labels),
    );
    const expected = optedOut.has(workload.object.metadata.name) ? 0 : 1;
    if (mine.length !== expected)
      violations.push(`${where(workload)}: ${mine.length} PodDisruptionBudgets select it`);
  }
  for (const budget of budgets) {
    const selected = deployments.filter((workload) =>
      selects(at(budget, 'spec', 'selector'), workload.template.metadata?.labels),
    );
    if (selected.length !== 1)
      violations.push(`${objectName(budget)}: selects ${selected.length} Deployments`);
  }
  return violations;
}

/** Deployments, Jobs and CronJobs run as a ServiceAccount of their own name, rendered by the chart. */
export function serviceAccountViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  const accounts = new Set(ofKind(objects, 'ServiceAccount').map((account) => account.metadata.name));
  for (const workload of workloads(objects.filter((object) => object.kind !== 'Pod'))) {
    const account = workload.template.spec.serviceAccountName;
    const name = workload.object.metadata.name;
    if (account !== name)
      violations.push(`${where(workload)}: runs as ServiceAccount ${account ?? '(default)'}`);
    else if (!accounts.has(name)) violations.push(`${where(workload)}: its ServiceAccount is not rendered`);
  }
  return violations;
}

/**
 * No token is mounted anywhere (every ServiceAccount and pod spec says false), except the dashboard's
 * when the kill switch scales down from it (`tokenFor`, the dashboard's name, or undefined).
 */
export function tokenViolations(objects: KubeObject[], tokenFor: string | undefined): string[] {
  const violations: string[] = [];
  const accounts = new Map(
    ofKind(objects, 'ServiceAccount').map((account) => [account.metadata.name, account]),
  );
  for (const [name, account] of accounts) {
    const automount = at(account, 'automountServiceAccountToken');
    if (name !== tokenFor && automount !== false)
      violations.push(`ServiceAccount/${name}: automounts its token`);
  }
  for (const workload of workloads(objects)) {
    const spec = workload.template.spec;
    const account = accounts.get(spec.serviceAccountName ?? 'default');
    // Kubernetes mounts the token unless the pod or its ServiceAccount says false; the pod wins.
    const mounted = spec.automountServiceAccountToken ?? at(account, 'automountServiceAccountToken') ?? true;
    const wanted = workload.object.kind === 'Deployment' && workload.object.metadata.name === tokenFor;
    if (mounted !== wanted)
      violations.push(`${where(workload)}: token ${mounted ? 'mounted' : 'not mounted'}`);
  }
  return violations;
}

/**
 * Each pod's `terminationGracePeriodSeconds` is set and exceeds the drain timeout of every container
 * (SHUTDOWN_TIMEOUT_MS, or its default), so Kubernetes never kills a role mid-drain.
 */
export function gracePeriodViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const workload of workloads(ofKind(objects, 'Deployment'))) {
    const grace = workload.template.spec.terminationGracePeriodSeconds;
    for (const container of workload.template.spec.containers) {
      const drainMs = Number(
        envValue(container, 'SHUTDOWN_TIMEOUT_MS', objects) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
      );
      if (grace === undefined || grace * 1000 <= drainMs) {
        violations.push(
          `${where(workload, container)}: grace period ${grace ?? '(unset)'}s ≤ drain ${drainMs}ms`,
        );
      }
    }
  }
  return violations;
}

/** The heartbeat CronJob: no overlap, a start deadline, a run deadline, an explicit time zone. */
export function cronJobViolations(objects: KubeObject[]): string[] {
  const violations: string[] = [];
  for (const cronJob of ofKind(objects, 'CronJob')) {
    const spec = (cronJob.spec ?? {}) as Record<string, unknown>;
    const name = objectName(cronJob);
    if (spec.concurrencyPolicy !== 'Forbid') violations.push(`${name}: concurrencyPolicy is not Forbid`);
    if (typeof spec.startingDeadlineSeconds !== 'number')
      violations.push(`${name}: no startingDeadlineSeconds`);
    if (typeof at(spec, 'jobTemplate', 'spec', 'activeDeadlineSeconds') !== 'number') {
      violations.push(`${name}: no activeDeadlineSeconds`);
    }
    if (typeof spec.timeZone !== 'string' || spec.timeZone === '') violations.push(`${name}: no timeZone`);
  }
  return violations;
}

/**
 * A NetworkPolicy that allows nothing, in both directions, to every pod of the release: its selector
 * is empty (the whole namespace) or matches the labels every workload's pods carry.
 */
export function defaultDenyViolations(objects: KubeObject[]): string[] {
  const pods = workloads(objects).map((workload) => workload.template.metadata?.labels);
  const denyAll = ofKind(objects, 'NetworkPolicy').some((policy) => {
    const spec = (policy.spec ?? {}) as Record<string, unknown>;
    const selector = (spec.podSelector ?? {}) as Record<string, unknown>;
    const everyPod = Object.keys(selector).length === 0 || pods.every((labels) => selects(selector, labels));
    const types = (spec.policyTypes ?? []) as string[];
    const rules = [spec.ingress, spec.egress].every((list) => !Array.isArray(list) || list.length === 0);
    return everyPod && types.includes('Ingress') && types.includes('Egress') && rules;
  });
  return denyAll
    ? []
    : ['no default-deny NetworkPolicy (every pod of the release, Ingress and Egress, no rules)'];
}
