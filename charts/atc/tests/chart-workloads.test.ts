// What the chart renders for each role, by the shared contract: names, role arguments, labels, the
// dashboard's rollout, the kill switch's label and environment, migrations with and without hooks,
// the default-deny NetworkPolicy, the simulator in paper mode only, the image reference.
import { defaultDenyViolations } from './chart-rules';
import { FULLNAME, RELEASE, render, type KubeObject } from './render';
import { at, named, ofKind, podTemplate, workloads } from './workloads';

const MARKETS = ['crypto', 'options', 'futures', 'roundtable'];
const KILL_SWITCH_LABEL = 'atc.trading/kill-switch';

function names(objects: KubeObject[], kind: string): string[] {
  return ofKind(objects, kind)
    .map((object) => object.metadata.name)
    .sort();
}

function mainContainer(object: KubeObject | undefined) {
  const container = object && podTemplate(object)?.spec.containers[0];
  if (!container) throw new Error(`no container in ${object?.kind ?? 'a missing object'}`);
  return container;
}

describe('default values', () => {
  const objects = () => render();

  it('render one Deployment per long-running role, the heartbeat CronJob and the migrate Job, by contract names', () => {
    expect(names(objects(), 'Deployment')).toEqual(
      [
        `${FULLNAME}-dashboard`,
        `${FULLNAME}-simulator`,
        ...MARKETS.map((m) => `${FULLNAME}-worker-${m}`),
      ].sort(),
    );
    expect(names(objects(), 'CronJob')).toEqual([`${FULLNAME}-heartbeat`]);
    expect(names(objects(), 'Job')).toEqual([`${FULLNAME}-migrate`]);
  });

  it('pick each role by args on the image entrypoint (no command override)', () => {
    const roleArgs = Object.fromEntries(
      workloads(objects())
        .filter(({ object }) => object.kind !== 'Pod')
        .map(({ object, template }) => [object.metadata.name, template.spec.containers[0]?.args]),
    );
    expect(roleArgs).toEqual({
      [`${FULLNAME}-dashboard`]: ['dashboard'],
      [`${FULLNAME}-simulator`]: ['sim'],
      ...Object.fromEntries(MARKETS.map((m) => [`${FULLNAME}-worker-${m}`, ['worker', m]])),
      [`${FULLNAME}-heartbeat`]: ['heartbeat'],
      // The migrations Job seeds after migrating: `migrate up` is its init container.
      [`${FULLNAME}-migrate`]: ['seed'],
    });
    const migrate = workloads(objects()).find(({ object }) => object.metadata.name === `${FULLNAME}-migrate`);
    expect(migrate?.template.spec.initContainers?.map((container) => container.args)).toEqual([
      ['migrate', 'up'],
    ]);
    const overridden = workloads(objects()).filter(
      ({ object, template }) => object.kind !== 'Pod' && template.spec.containers[0]?.command !== undefined,
    );
    expect(overridden).toEqual([]);
  });

  it('label each workload and its pods with its component', () => {
    for (const { object, template } of workloads(objects())) {
      const component = object.metadata.labels?.['app.kubernetes.io/component'];
      expect(component).toBeTruthy();
      expect(template.metadata?.labels?.['app.kubernetes.io/component']).toBe(component);
    }
  });

  it('label exactly the worker Deployments and the heartbeat CronJob for the kill switch', () => {
    const labelled = objects()
      .filter((object) => object.metadata.labels?.[KILL_SWITCH_LABEL] === 'scale-down')
      .map((object) => `${object.kind}/${object.metadata.name}`)
      .sort();
    expect(labelled).toEqual(
      [`CronJob/${FULLNAME}-heartbeat`, ...MARKETS.map((m) => `Deployment/${FULLNAME}-worker-${m}`)].sort(),
    );
  });

  it('run two dashboards, rolled one at a time with none unavailable, behind a Service on port 80', () => {
    const dashboard = named(objects(), 'Deployment', `${FULLNAME}-dashboard`);
    expect(at(dashboard, 'spec', 'replicas')).toBe(2);
    expect(at(dashboard, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable')).toBe(0);
    const service = named(objects(), 'Service', `${FULLNAME}-dashboard`);
    const ports = at(service, 'spec', 'ports') as { port: number; targetPort: number | string }[];
    const container = mainContainer(dashboard);
    const target = ports.find((port) => port.port === 80)?.targetPort;
    const containerPort =
      typeof target === 'number'
        ? target
        : container.ports?.find((port) => port.name === target)?.containerPort;
    expect(containerPort).toBe(8080);
  });

  it('spread every Deployment’s pods over nodes', () => {
    for (const deployment of ofKind(objects(), 'Deployment')) {
      expect(podTemplate(deployment)?.spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
    }
  });

  it('give the dashboard the kill switch’s namespace and selector, matching what the label marks', () => {
    const env = mainContainer(named(objects(), 'Deployment', `${FULLNAME}-dashboard`)).env ?? [];
    expect(env.find((variable) => variable.name === 'K8S_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.namespace',
    );
    expect(env.find((variable) => variable.name === 'K8S_KILL_SWITCH_SELECTOR')?.value).toBe(
      `app.kubernetes.io/instance=${RELEASE},${KILL_SWITCH_LABEL}=scale-down`,
    );
  });

  it('run migrations as a pre-install/pre-upgrade hook, its ServiceAccount created before it', () => {
    const job = named(objects(), 'Job', `${FULLNAME}-migrate`);
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const account = named(objects(), 'ServiceAccount', `${FULLNAME}-migrate`);
    expect(account?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const weight = (object: KubeObject | undefined) =>
      Number(object?.metadata.annotations?.['helm.sh/hook-weight'] ?? 0);
    expect(weight(account)).toBeLessThan(weight(job));
  });

  it('run the heartbeat every five minutes, unsuspended, keeping a bounded history', () => {
    const spec = at(named(objects(), 'CronJob', `${FULLNAME}-heartbeat`), 'spec') as Record<string, unknown>;
    expect(spec).toMatchObject({ schedule: '*/5 * * * *', suspend: false, timeZone: 'Etc/UTC' });
    expect(spec.successfulJobsHistoryLimit).toEqual(expect.any(Number));
    expect(spec.failedJobsHistoryLimit).toEqual(expect.any(Number));
  });

  it('deny all traffic by default', () => {
    expect(defaultDenyViolations(objects())).toEqual([]);
  });

  it('use the chart’s appVersion as the image tag, the same image for every container', () => {
    const images = new Set(
      workloads(objects()).flatMap(({ template }) =>
        [...(template.spec.initContainers ?? []), ...template.spec.containers].map(
          (container) => container.image,
        ),
      ),
    );
    expect([...images]).toEqual(['ghcr.io/atc/atc:0.1.0']);
  });
});

describe('with other values', () => {
  it('a digest wins over the tag', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const objects = render({ set: { 'image.digest': digest, 'image.tag': '9.9.9' } });
    expect(mainContainer(named(objects, 'Deployment', `${FULLNAME}-dashboard`)).image).toBe(
      `ghcr.io/atc/atc@${digest}`,
    );
  });

  it('useHelmHooks=false renders migrations as a plain Job in an earlier Argo CD sync wave, with no hooks at all', () => {
    const objects = render({ set: { 'migrations.useHelmHooks': false, 'tests.enabled': false } });
    const job = named(objects, 'Job', `${FULLNAME}-migrate`);
    expect(job).toBeDefined();
    expect(Number(job?.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBeLessThan(0);
    expect(objects.filter((object) => object.metadata.annotations?.['helm.sh/hook'] !== undefined)).toEqual(
      [],
    );
  });

  it('paper mode without the simulator renders none; live mode never does', () => {
    expect(names(render({ set: { 'simulator.enabled': false } }), 'Deployment')).not.toContain(
      `${FULLNAME}-simulator`,
    );
    const live = render({ valuesFiles: ['ci/live-existing-secrets-values.yaml'] });
    expect(names(live, 'Deployment')).not.toContain(`${FULLNAME}-simulator`);
    expect(names(live, 'Service')).not.toContain(`${FULLNAME}-simulator`);
  });

  it('killSwitch.scaleDown.enabled=false: no Role, no RoleBinding, no kill-switch environment', () => {
    const objects = render({ set: { 'killSwitch.scaleDown.enabled': false } });
    expect(names(objects, 'Role')).toEqual([]);
    expect(names(objects, 'RoleBinding')).toEqual([]);
    const env = mainContainer(named(objects, 'Deployment', `${FULLNAME}-dashboard`)).env ?? [];
    expect(env.map((variable) => variable.name)).not.toContain('K8S_KILL_SWITCH_SELECTOR');
  });

  it('a disabled worker or heartbeat is not rendered', () => {
    const objects = render({ set: { 'workers.futures.enabled': false, 'heartbeat.enabled': false } });
    expect(names(objects, 'Deployment')).not.toContain(`${FULLNAME}-worker-futures`);
    expect(names(objects, 'PodDisruptionBudget')).not.toContain(`${FULLNAME}-worker-futures`);
    expect(names(objects, 'CronJob')).toEqual([]);
  });

  it('networkPolicy.enabled=false renders no NetworkPolicy', () => {
    expect(names(render({ set: { 'networkPolicy.enabled': false } }), 'NetworkPolicy')).toEqual([]);
  });
});
