/**
 * The chart's kill-switch Role against the requests the code really makes: a scale-down and a
 * restore run against the fake kube-apiserver, and every recorded (verb, group, resource/subresource,
 * name) must be granted by a rule of charts/atc/templates/kill-switch-rbac.yaml as `helm template`
 * renders it — and every grant must be used by some request. Nothing more, nothing less.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { parseAllDocuments } from 'yaml';
import { kubeWorkloadsAccess } from '@atc/platform';
import {
  createTestDatabase,
  REPOSITORY_ROOT,
  startFakeKubeApi,
  type FakeKubeApi,
  type RecordedKubeRequest,
  type TestDatabase,
} from '@atc/platform/testing';
import { engageKillSwitchAndScaleDown, releaseKillSwitchAndRestore } from './kill-switch-cluster';
import { RELEASE, RELEASE_SELECTOR, seedRelease } from './testing/cluster-workloads.fixture';

const CHART = path.join(REPOSITORY_ROOT, 'charts', 'atc');
const TEMPLATE = 'templates/kill-switch-rbac.yaml';

interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}
interface RenderedObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly rules?: PolicyRule[];
  readonly roleRef?: { readonly kind: string; readonly name: string };
  readonly subjects?: { readonly kind: string; readonly name: string; readonly namespace?: string }[];
}

/** helm as scripts/k8s-tools.mjs unpacks it (an ES module, so run rather than imported under jest). */
function helmPath(): string {
  const directory = execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, 'scripts', 'k8s-tools.mjs')], {
    encoding: 'utf8',
  }).trim();
  return path.join(directory, 'helm');
}

/**
 * The chart to render: charts/atc once it has a Chart.yaml, else a minimal chart around the one
 * template, with the two helpers it uses defined as the chart defines them.
 */
function chartDirectory(scratch: string): string {
  if (existsSync(path.join(CHART, 'Chart.yaml'))) return CHART;
  const chart = path.join(scratch, 'atc');
  mkdirSync(path.join(chart, 'templates'), { recursive: true });
  writeFileSync(
    path.join(chart, 'Chart.yaml'),
    'apiVersion: v2\nname: atc\nversion: 0.1.0\nappVersion: 0.1.0\n',
  );
  writeFileSync(path.join(chart, 'values.yaml'), 'killSwitch:\n  scaleDown:\n    enabled: true\n');
  writeFileSync(
    path.join(chart, 'templates', '_helpers.tpl'),
    [
      '{{- define "atc.fullname" -}}',
      '{{- if contains .Chart.Name .Release.Name }}{{ .Release.Name | trunc 63 | trimSuffix "-" }}',
      '{{- else }}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{ end }}',
      '{{- end }}',
      '{{- define "atc.labels" -}}',
      'app.kubernetes.io/name: {{ .Chart.Name }}',
      'app.kubernetes.io/instance: {{ .Release.Name }}',
      'app.kubernetes.io/managed-by: {{ .Release.Service }}',
      '{{- end }}',
      '',
    ].join('\n'),
  );
  cpSync(path.join(CHART, TEMPLATE), path.join(chart, TEMPLATE));
  return chart;
}

function render(chart: string, enabled: boolean): RenderedObject[] {
  const output = execFileSync(
    helmPath(),
    [
      'template',
      RELEASE,
      chart,
      '--namespace',
      'trading',
      '--set',
      `killSwitch.scaleDown.enabled=${enabled}`,
    ],
    { encoding: 'utf8' },
  );
  return parseAllDocuments(output)
    .map((document) => document.toJS() as RenderedObject | null)
    .filter((object): object is RenderedObject => object !== null);
}

/** One grant per (verb, group, resource[/subresource], name or `*`). */
function grantsOf(rules: readonly PolicyRule[]): Set<string> {
  const grants = new Set<string>();
  for (const rule of rules) {
    for (const verb of rule.verbs)
      for (const group of rule.apiGroups)
        for (const resource of rule.resources)
          for (const name of rule.resourceNames ?? ['*']) grants.add(`${verb} ${group} ${resource} ${name}`);
  }
  return grants;
}

/** The grant a request needs: by name, or `*` for a list (which RBAC cannot narrow by name). */
function neededGrant(request: RecordedKubeRequest): string {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return `${request.verb} ${request.apiGroup} ${resource} ${request.name ?? '*'}`;
}

describe("the chart's kill-switch Role grants exactly what the code uses", () => {
  let db: TestDatabase;
  let api: FakeKubeApi;
  let scratch: string;
  let objects: RenderedObject[];
  // The chart may hold other RBAC objects; these are the kill switch's.
  const killSwitchObject = (kind: string) =>
    objects.find((object) => object.kind === kind && object.metadata.name === `${RELEASE}-kill-switch`);

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'atc-chart-'));
    objects = render(chartDirectory(scratch), true);
    db = await createTestDatabase();
    api = await startFakeKubeApi({ namespace: 'trading' });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('binds the Role to the dashboard ServiceAccount, in the release namespace', () => {
    const role = killSwitchObject('Role');
    const binding = killSwitchObject('RoleBinding');
    expect(role?.metadata).toMatchObject({ name: `${RELEASE}-kill-switch`, namespace: 'trading' });
    expect(binding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role?.metadata.name,
    });
    // Valid against the Kubernetes schema (throws naming the field otherwise).
    expect(() => new Role(role as ConstructorParameters<typeof Role>[0]).validate()).not.toThrow();
    expect(() =>
      new RoleBinding(binding as ConstructorParameters<typeof RoleBinding>[0]).validate(),
    ).not.toThrow();
    expect(binding?.subjects).toEqual([
      { kind: 'ServiceAccount', name: `${RELEASE}-dashboard`, namespace: 'trading' },
    ]);
  });

  it('covers every request of a scale-down and a restore, and nothing else', async () => {
    seedRelease(api);
    const cluster = kubeWorkloadsAccess({
      K8S_KILL_SWITCH_SELECTOR: RELEASE_SELECTOR,
      K8S_REQUEST_TIMEOUT_MS: 5_000,
      KUBECONFIG: api.writeKubeconfig(),
    });
    const engaged = await engageKillSwitchAndScaleDown(db.pool, {
      reason: 'rbac check',
      by: 'test',
      cluster,
    });
    const released = await releaseKillSwitchAndRestore(db.pool, { by: 'test', cluster });
    expect([engaged.cluster.ok, released.cluster.ok]).toEqual([true, true]);

    const role = killSwitchObject('Role')!;
    const granted = grantsOf(role.rules ?? []);
    const needed = new Set(api.requests.map(neededGrant));
    expect([...needed].filter((grant) => !granted.has(grant))).toEqual([]);
    // A patch grant for a worker that was not patched here (every worker was) would be the only
    // acceptable leftover; there is none, so the sets are equal.
    expect([...granted].filter((grant) => !needed.has(grant))).toEqual([]);
  });

  it('renders no Role and no RoleBinding when killSwitch.scaleDown.enabled is false', () => {
    const kinds = render(chartDirectory(scratch), false).map((object) => object.kind);
    expect(kinds).not.toContain('Role');
    expect(kinds).not.toContain('RoleBinding');
  });
});
