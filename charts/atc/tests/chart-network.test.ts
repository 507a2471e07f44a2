// The NetworkPolicies, evaluated: every path the roles need is open (DNS, the database, the venues
// or the simulator, the ingress controller to the dashboard, Prometheus to the admin ports, the helm
// test Pod to every role, the dashboard to the Kubernetes API) and nothing else is.
import { allowed, inCidr, matches, type Pod } from './network-policies';
import { FULLNAME, NAMESPACE, render, valuesOf, type KubeObject, type RenderOptions } from './render';
import { at, named, podTemplate } from './workloads';

/** The pod a rendered workload runs, as the policies see it. */
function podOf(objects: KubeObject[], kind: string, name: string): Pod {
  const object = named(objects, kind, name);
  const template = object && podTemplate(object);
  if (!template) throw new Error(`${kind}/${name} is not rendered`);
  const ports: Record<string, number> = {};
  for (const container of template.spec.containers) {
    for (const port of container.ports ?? []) if (port.name) ports[port.name] = port.containerPort;
  }
  return { namespace: NAMESPACE, labels: template.metadata?.labels ?? {}, ports };
}

const outside = (namespace: string, labels: Record<string, string> = {}): Pod => ({ namespace, labels });
const DNS = outside('kube-system', { 'k8s-app': 'kube-dns' });
const DATABASE = { ip: '10.20.0.5' };
const VENUE = { ip: '3.33.152.147' };
const DATABASE_USERS = [
  'dashboard',
  'worker-crypto',
  'worker-options',
  'worker-futures',
  'worker-roundtable',
];
const VENUE_USERS = ['dashboard', 'worker-crypto', 'worker-options', 'worker-futures'];

describe.each<[string, RenderOptions]>([
  ['paper mode (default values)', {}],
  ['live mode', { valuesFiles: ['ci/live-existing-secrets-values.yaml'] }],
])('%s', (_name, options) => {
  const objects = () => render(options);
  const deployment = (component: string) => podOf(objects(), 'Deployment', `${FULLNAME}-${component}`);
  const heartbeat = () => podOf(objects(), 'CronJob', `${FULLNAME}-heartbeat`);
  const migrate = () => podOf(objects(), 'Job', `${FULLNAME}-migrate`);

  it('every role resolves names through the cluster DNS, and nothing else in kube-system', () => {
    for (const pod of [...DATABASE_USERS.map(deployment), heartbeat(), migrate()]) {
      expect(allowed(objects(), pod, DNS, 53)).toBe(true);
      expect(allowed(objects(), pod, outside('kube-system', { app: 'other' }), 53)).toBe(false);
    }
  });

  it('the roles that hold a database connection reach PostgreSQL, on its port only', () => {
    for (const pod of [...DATABASE_USERS.map(deployment), heartbeat(), migrate()]) {
      expect(allowed(objects(), pod, DATABASE, 5432)).toBe(true);
      expect(allowed(objects(), pod, DATABASE, 6379)).toBe(false);
    }
  });

  it('the ingress controller’s namespace reaches the dashboard’s port, another namespace does not', () => {
    const controller = outside('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
    expect(allowed(objects(), controller, deployment('dashboard'), 8080)).toBe(true);
    expect(allowed(objects(), outside('default'), deployment('dashboard'), 8080)).toBe(false);
    expect(allowed(objects(), controller, deployment('worker-crypto'), 9090)).toBe(false);
  });

  it('the monitoring namespace scrapes every Deployment’s admin port, and nothing else', () => {
    const prometheus = outside('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
    for (const component of DATABASE_USERS) {
      expect(allowed(objects(), prometheus, deployment(component), 9090)).toBe(true);
      expect(allowed(objects(), prometheus, deployment(component), 8080)).toBe(false);
    }
  });

  it('the helm test Pod reaches every Deployment’s admin port and the dashboard’s API', () => {
    const testPod = podOf(objects(), 'Pod', `${FULLNAME}-test`);
    for (const component of DATABASE_USERS)
      expect(allowed(objects(), testPod, deployment(component), 9090)).toBe(true);
    expect(allowed(objects(), testPod, deployment('dashboard'), 8080)).toBe(true);
  });

  it('only the dashboard reaches the Kubernetes API (the kill switch’s scale-down)', () => {
    // The scenario's API server address when it narrows the policy to one, else any address.
    const cidrs = at(valuesOf(options), 'networkPolicy', 'kubeApiServer', 'cidrs') as string[];
    const apiServer = { ip: cidrs[0]?.split('/')[0] ?? '172.20.0.1' };
    expect(allowed(objects(), deployment('dashboard'), { ip: '172.20.0.1' }, 443)).toBe(cidrs.length === 0);
    expect(allowed(objects(), deployment('dashboard'), apiServer, 443)).toBe(true);
    expect(allowed(objects(), deployment('worker-crypto'), apiServer, 6443)).toBe(false);
  });

  it('the roundtable worker, which calls no venue, reaches no outside address', () => {
    expect(allowed(objects(), deployment('worker-roundtable'), VENUE, 443)).toBe(false);
  });
});

describe('venues', () => {
  it('paper mode: the roles that call venues reach the simulator’s port', () => {
    const objects = render();
    const simulator = podOf(objects, 'Deployment', `${FULLNAME}-simulator`);
    const port = simulator.ports?.http ?? 7070;
    for (const component of VENUE_USERS) {
      expect(
        allowed(objects, podOf(objects, 'Deployment', `${FULLNAME}-${component}`), simulator, port),
      ).toBe(true);
    }
    expect(allowed(objects, podOf(objects, 'CronJob', `${FULLNAME}-heartbeat`), simulator, port)).toBe(true);
    expect(
      allowed(objects, podOf(objects, 'Deployment', `${FULLNAME}-worker-roundtable`), simulator, port),
    ).toBe(false);
    expect(allowed(objects, outside('default'), simulator, port)).toBe(false);
  });

  it('live mode: the roles that call venues reach public addresses on 443, not private ones', () => {
    const objects = render({ valuesFiles: ['ci/live-existing-secrets-values.yaml'] });
    for (const component of VENUE_USERS) {
      const pod = podOf(objects, 'Deployment', `${FULLNAME}-${component}`);
      expect(allowed(objects, pod, VENUE, 443)).toBe(true);
      expect(allowed(objects, pod, VENUE, 80)).toBe(false);
      expect(allowed(objects, pod, { ip: '192.168.1.10' }, 443)).toBe(false);
    }
    expect(allowed(objects, podOf(objects, 'CronJob', `${FULLNAME}-heartbeat`), VENUE, 443)).toBe(true);
  });

  it('networkPolicy.enabled=false leaves every path open (no policy selects a pod)', () => {
    const objects = render({ set: { 'networkPolicy.enabled': false } });
    expect(
      allowed(objects, outside('default'), podOf(objects, 'Deployment', `${FULLNAME}-worker-crypto`), 9090),
    ).toBe(true);
  });
});

describe('the evaluator', () => {
  it('matches selectors by labels and expressions', () => {
    const labels = { a: '1', b: '2' };
    expect(matches({}, labels)).toBe(true);
    expect(matches({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(matches({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }] }, labels)).toBe(
      true,
    );
    expect(matches({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }] }, labels)).toBe(
      false,
    );
    expect(matches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, labels)).toBe(true);
  });

  it('tests IPv4 addresses against CIDR blocks', () => {
    expect(inCidr('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(inCidr('172.32.0.1', '172.16.0.0/12')).toBe(false);
    expect(inCidr('8.8.8.8', '0.0.0.0/0')).toBe(true);
  });

  it('a pod selected by a deny-all policy can neither send nor receive', () => {
    const deny: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    const pod: Pod = { namespace: NAMESPACE, labels: { app: 'x' } };
    expect(allowed([deny], pod, DATABASE, 5432)).toBe(false);
    expect(allowed([deny], outside('other'), pod, 80)).toBe(false);
    expect(allowed([], pod, DATABASE, 5432)).toBe(true);
  });
});
