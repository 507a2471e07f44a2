// The rules themselves, on hand-written objects: each holds for a correct set and names the object
// when one thing is broken (so a rule that passes on the chart is a rule that could have failed).
import {
  cronJobViolations,
  defaultDenyViolations,
  disruptionBudgetViolations,
  gracePeriodViolations,
  probeViolations,
  resourceViolations,
  securityContextViolations,
  serviceAccountViolations,
  tokenViolations,
} from './chart-rules';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { KubeObject } from './render';

const LABELS = { 'app.kubernetes.io/instance': 'atc', 'app.kubernetes.io/component': 'dashboard' };

function container(): IContainer {
  const probe = (path: string) => ({ httpGet: { path, port: 'admin' } });
  return {
    name: 'dashboard',
    image: 'ghcr.io/atc/atc:0.1.0',
    ports: [{ name: 'admin', containerPort: 9090 }],
    env: [{ name: 'SHUTDOWN_TIMEOUT_MS', value: '25000' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    securityContext: {
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    startupProbe: probe('/health'),
    livenessProbe: probe('/health'),
    readinessProbe: probe('/health/ready'),
  };
}

function podSpec(serviceAccountName: string): IPodSpec {
  return {
    serviceAccountName,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 35,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
  };
}

/** A dashboard Deployment, its PDB and ServiceAccount, a heartbeat CronJob and a default deny: all rules hold. */
interface Fixture {
  deployment: IDeployment & { spec: { template: { spec: IPodSpec } } };
  budget: IPodDisruptionBudget;
  accounts: IServiceAccount[];
  cronJob: ICronJob & { spec: NonNullable<ICronJob['spec']> };
  policy: INetworkPolicy & { spec: NonNullable<INetworkPolicy['spec']> };
}

function fixture(): Fixture {
  return {
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'atc-dashboard' },
      spec: {
        selector: { matchLabels: { ...LABELS } },
        template: { metadata: { labels: { ...LABELS } }, spec: podSpec('atc-dashboard') },
      },
    },
    budget: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'atc-dashboard' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...LABELS } } },
    },
    accounts: ['atc-dashboard', 'atc-heartbeat'].map((name) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
      automountServiceAccountToken: false,
    })),
    cronJob: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'atc-heartbeat' },
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 120,
        jobTemplate: {
          spec: {
            activeDeadlineSeconds: 240,
            template: {
              metadata: {
                labels: { 'app.kubernetes.io/instance': 'atc', 'app.kubernetes.io/component': 'heartbeat' },
              },
              spec: podSpec('atc-heartbeat'),
            },
          },
        },
      },
    },
    policy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'atc-default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  };
}

/** The fixture's objects, after `edit` changed one thing. */
function broken(edit: (fixture: Fixture, pod: IPodSpec, container: IContainer) => unknown): KubeObject[] {
  const f = fixture();
  edit(f, f.deployment.spec.template.spec, f.deployment.spec.template.spec.containers[0]!);
  return [f.deployment, f.budget, ...f.accounts, f.cronJob, f.policy] as KubeObject[];
}
const correct = () => broken(() => undefined);

describe('chart rules on hand-written objects', () => {
  it('all hold for the correct objects', () => {
    const all = correct();
    expect([
      ...securityContextViolations(all),
      ...resourceViolations(all),
      ...probeViolations(all),
      ...disruptionBudgetViolations(all),
      ...serviceAccountViolations(all),
      ...tokenViolations(all, undefined),
      ...gracePeriodViolations(all),
      ...cronJobViolations(all),
      ...defaultDenyViolations(all),
    ]).toEqual([]);
  });

  type Edit = Parameters<typeof broken>[0];
  it.each<[string, Edit]>([
    ['runAsNonRoot', (_f, pod) => delete pod.securityContext!.runAsNonRoot],
    ['readOnlyRootFilesystem', (_f, _pod, c) => delete c.securityContext!.readOnlyRootFilesystem],
    ['allowPrivilegeEscalation', (_f, _pod, c) => (c.securityContext!.allowPrivilegeEscalation = true)],
    ['capabilities', (_f, _pod, c) => (c.securityContext!.capabilities = { drop: ['NET_RAW'] })],
    ['seccompProfile', (_f, pod) => delete pod.securityContext!.seccompProfile],
  ])('the securityContext rule catches a missing %s', (setting, edit) => {
    expect(securityContextViolations(broken(edit))).toEqual([expect.stringContaining(setting)]);
  });

  it('the securityContext rule covers init containers', () => {
    const all = broken((_f, pod) => (pod.initContainers = [{ name: 'wait', image: 'x' }]));
    expect(securityContextViolations(all)).toEqual([
      'Deployment/atc-dashboard container wait: readOnlyRootFilesystem is not true',
      'Deployment/atc-dashboard container wait: allowPrivilegeEscalation is not false',
      'Deployment/atc-dashboard container wait: capabilities do not drop ALL',
    ]);
  });

  it('the resources rule catches a missing request or limit', () => {
    expect(resourceViolations(broken((_f, _pod, c) => delete c.resources!.limits))).toEqual([
      'Deployment/atc-dashboard container dashboard: no memory limit',
    ]);
    expect(resourceViolations(broken((_f, _pod, c) => delete c.resources!.requests!.cpu))).toEqual([
      'Deployment/atc-dashboard container dashboard: no cpu request',
    ]);
  });

  it('the probe rule catches a missing probe, a wrong path and a port other than the admin port', () => {
    expect(probeViolations(broken((_f, _pod, c) => delete c.startupProbe))).toEqual([
      'Deployment/atc-dashboard container dashboard: startupProbe missing',
    ]);
    expect(probeViolations(broken((_f, _pod, c) => (c.readinessProbe!.httpGet!.path = '/')))).toEqual([
      'Deployment/atc-dashboard container dashboard: readinessProbe does not get /health/ready',
    ]);
    expect(probeViolations(broken((_f, _pod, c) => (c.livenessProbe!.httpGet!.port = 8080)))).toEqual([
      'Deployment/atc-dashboard container dashboard: livenessProbe is not on the admin port 9090',
    ]);
  });

  it('the PDB rule catches a Deployment without a budget and a budget selecting nothing', () => {
    const all = broken(
      (f) => (f.budget.spec!.selector!.matchLabels!['app.kubernetes.io/component'] = 'other'),
    );
    expect(disruptionBudgetViolations(all)).toEqual([
      'Deployment/atc-dashboard: 0 PodDisruptionBudgets select it',
      'PodDisruptionBudget/atc-dashboard: selects 0 Deployments',
    ]);
  });

  it('the PDB rule expects no budget for a Deployment whose values switched it off', () => {
    expect(
      disruptionBudgetViolations(
        broken(() => undefined),
        new Set(['atc-dashboard']),
      ),
    ).toEqual(['Deployment/atc-dashboard: 1 PodDisruptionBudgets select it']);
  });

  it('the ServiceAccount rule catches the default account and a missing one', () => {
    expect(serviceAccountViolations(broken((_f, pod) => delete pod.serviceAccountName))).toEqual([
      'Deployment/atc-dashboard: runs as ServiceAccount (default)',
    ]);
    expect(serviceAccountViolations(broken((f) => f.accounts.shift()))).toEqual([
      'Deployment/atc-dashboard: its ServiceAccount is not rendered',
    ]);
  });

  it('the token rule catches a mounted token, and a missing one where the kill switch needs it', () => {
    const mounted = broken((_f, pod) => (pod.automountServiceAccountToken = true));
    expect(tokenViolations(mounted, undefined)).toEqual(['Deployment/atc-dashboard: token mounted']);
    const byDefault = broken((f, pod) => {
      delete pod.automountServiceAccountToken;
      delete f.accounts[0]!.automountServiceAccountToken;
    });
    expect(tokenViolations(byDefault, undefined)).toEqual([
      'ServiceAccount/atc-dashboard: automounts its token',
      'Deployment/atc-dashboard: token mounted',
    ]);
    expect(tokenViolations(correct(), 'atc-dashboard')).toEqual([
      'Deployment/atc-dashboard: token not mounted',
    ]);
  });

  it('the grace period rule catches a period at or below the drain timeout', () => {
    expect(gracePeriodViolations(broken((_f, pod) => (pod.terminationGracePeriodSeconds = 25)))).toEqual([
      'Deployment/atc-dashboard container dashboard: grace period 25s ≤ drain 25000ms',
    ]);
    expect(gracePeriodViolations(broken((_f, _pod, c) => (c.env![0]!.value = '40000')))).toEqual([
      'Deployment/atc-dashboard container dashboard: grace period 35s ≤ drain 40000ms',
    ]);
  });

  it('the CronJob rule catches each missing setting', () => {
    const all = broken(({ cronJob }) => {
      cronJob.spec.concurrencyPolicy = 'Allow';
      delete cronJob.spec.startingDeadlineSeconds;
      delete cronJob.spec.timeZone;
      delete cronJob.spec.jobTemplate.spec!.activeDeadlineSeconds;
    });
    expect(cronJobViolations(all)).toEqual([
      'CronJob/atc-heartbeat: concurrencyPolicy is not Forbid',
      'CronJob/atc-heartbeat: no startingDeadlineSeconds',
      'CronJob/atc-heartbeat: no activeDeadlineSeconds',
      'CronJob/atc-heartbeat: no timeZone',
    ]);
  });

  it('the default deny rule accepts a selector of every pod of the release, and catches one that misses some', () => {
    const release = { 'app.kubernetes.io/instance': 'atc' };
    expect(
      defaultDenyViolations(broken(({ policy }) => (policy.spec.podSelector = { matchLabels: release }))),
    ).toEqual([]);
    const dashboardOnly = { matchLabels: { ...LABELS } };
    expect(
      defaultDenyViolations(broken(({ policy }) => (policy.spec.podSelector = dashboardOnly))),
    ).toHaveLength(1);
  });

  it('the default deny rule catches a policy that allows something', () => {
    expect(defaultDenyViolations(broken(({ policy }) => (policy.spec.egress = [{}])))).toEqual([
      expect.stringContaining('no default-deny NetworkPolicy'),
    ]);
  });
});
