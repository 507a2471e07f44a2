// The rule tests can fail: a temporary copy of the chart with one thing broken renders objects (or
// accepts values) that the rules reject, naming what broke.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cronJobViolations,
  disruptionBudgetViolations,
  gracePeriodViolations,
  probeViolations,
  securityContextViolations,
  tokenViolations,
} from './chart-rules';
import { schemaErrors, validationErrors } from './kube-schemas';
import { allowed } from './network-policies';
import { copyChart, FULLNAME, NAMESPACE, objectName, render, renderFailure, type KubeObject } from './render';
import { named, podTemplate } from './workloads';

let chart: ReturnType<typeof copyChart>;
beforeEach(() => {
  chart = copyChart();
});
afterEach(() => chart.remove());

/** Replaces `from` (which must occur) in a file of the chart copy. */
function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(chart.dir, file);
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text)
    throw new Error(`${file}: ${String(from)} not found (the chart changed; update this test)`);
  writeFileSync(path, edited);
}

const renderCopy = (): KubeObject[] => render({ chartDir: chart.dir });

it('the copy renders clean before any mutation', () => {
  const objects = renderCopy();
  expect([...securityContextViolations(objects), ...cronJobViolations(objects)]).toEqual([]);
});

it('a container security context without a read-only root fails the rule for every container', () => {
  edit('templates/_pod.tpl', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
  const violations = securityContextViolations(renderCopy());
  expect(violations).toContainEqual(
    `Pod/${FULLNAME}-test container dashboard-ready: readOnlyRootFilesystem is not true`,
  );
  expect(violations).toContainEqual(
    `Deployment/${FULLNAME}-dashboard container dashboard: readOnlyRootFilesystem is not true`,
  );
});

it('the helm test pod without its container security context fails the rule', () => {
  edit('templates/tests/test-health.yaml', /\n {6}securityContext:\n.*\n/, '\n');
  const violations = securityContextViolations(renderCopy());
  expect(violations.length).toBeGreaterThan(0);
  expect(violations.every((violation) => violation.startsWith(`Pod/${FULLNAME}-test `))).toBe(true);
});

it('a CronJob allowing concurrent runs fails the rule', () => {
  edit('templates/heartbeat/cronjob.yaml', 'concurrencyPolicy: Forbid', 'concurrencyPolicy: Allow');
  expect(cronJobViolations(renderCopy())).toEqual([
    `CronJob/${FULLNAME}-heartbeat: concurrencyPolicy is not Forbid`,
  ]);
});

it('workers without their PodDisruptionBudgets fail the rule', () => {
  rmSync(join(chart.dir, 'templates/workers/pdb.yaml'));
  expect(disruptionBudgetViolations(renderCopy())).toEqual(
    ['crypto', 'futures', 'options', 'roundtable'].map(
      (market) => `Deployment/${FULLNAME}-worker-${market}: 0 PodDisruptionBudgets select it`,
    ),
  );
});

it('a grace period equal to the drain timeout fails the rule', () => {
  edit(
    'templates/_helpers.tpl',
    '{{- add (int .Values.shutdown.timeoutSeconds) (int .Values.shutdown.gracePeriodMarginSeconds) }}',
    '{{- int .Values.shutdown.timeoutSeconds }}',
  );
  expect(gracePeriodViolations(renderCopy())).toContainEqual(
    `Deployment/${FULLNAME}-dashboard container dashboard: grace period 25s ≤ drain 25000ms`,
  );
});

it('a liveness probe on a path the admin server does not answer fails the rule', () => {
  edit('templates/_pod.tpl', /(livenessProbe:\n {2}httpGet:\n {4}path: )\/health\n/, '$1/health/live\n');
  expect(probeViolations(renderCopy())).toContainEqual(
    `Deployment/${FULLNAME}-dashboard container dashboard: livenessProbe does not get /health`,
  );
});

it('a ServiceAccount that mounts its token fails the rule', () => {
  edit(
    'templates/_pod.tpl',
    /^automountServiceAccountToken: \{\{ \.automountToken \}\}$/m,
    'automountServiceAccountToken: true',
  );
  expect(tokenViolations(renderCopy(), `${FULLNAME}-dashboard`)).toEqual(
    expect.arrayContaining([`ServiceAccount/${FULLNAME}-worker-crypto: automounts its token`]),
  );
});

it('a pod that mounts its token fails the rule', () => {
  edit('templates/_pod.tpl', /^( {6}automountServiceAccountToken: )\{\{ \.automountToken \}\}$/m, '$1true');
  expect(tokenViolations(renderCopy(), `${FULLNAME}-dashboard`)).toContainEqual(
    `Deployment/${FULLNAME}-worker-crypto: token mounted`,
  );
});

it('an object with a schema error fails validation', () => {
  edit('templates/heartbeat/cronjob.yaml', 'concurrencyPolicy: Forbid', 'concurrencyPolicy: Sometimes');
  const errors = renderCopy().flatMap((object) =>
    schemaErrors(object).map((e) => `${objectName(object)}: ${e}`),
  );
  expect(errors).toEqual([expect.stringMatching(/^CronJob\/atc-heartbeat: .*concurrencyPolicy/)]);
});

it('a field Kubernetes does not know fails validation', () => {
  edit(
    'templates/_pod.tpl',
    'allowPrivilegeEscalation: false',
    'allowPrivilegeEscalation: false\nprivilegeEscalation: false',
  );
  expect(validationErrors([renderCopy()])[0]).toContainEqual(
    `Deployment/${FULLNAME}-dashboard: unknown field .spec.template.spec.containers[0].securityContext.privilegeEscalation`,
  );
});

it('a DNS policy on the wrong port cuts every role off from the cluster DNS', () => {
  const dns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
  const workerPod = (objects: KubeObject[]) => ({
    namespace: NAMESPACE,
    labels: podTemplate(named(objects, 'Deployment', `${FULLNAME}-worker-crypto`)!)!.metadata!.labels!,
  });
  expect(allowed(renderCopy(), workerPod(renderCopy()), dns, 53)).toBe(true);
  edit('templates/networkpolicy/networkpolicy.yaml', /port: 53\n/g, 'port: 54\n');
  // Other arguments than the render above: renders are cached by their arguments.
  const objects = render({ chartDir: chart.dir, set: { 'tests.enabled': false } });
  expect(allowed(objects, workerPod(objects), dns, 53)).toBe(false);
});

it('a schema object left open lets a typo through', () => {
  const schemaFile = join(chart.dir, 'values.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as {
    properties: { dashboard: Record<string, unknown> };
  };
  expect(renderFailure({ chartDir: chart.dir, set: { 'dashboard.replica': 3 } })).toContain(
    "'replica' not allowed",
  );
  delete schema.properties.dashboard.additionalProperties;
  writeFileSync(schemaFile, JSON.stringify(schema));
  expect(render({ chartDir: chart.dir, set: { 'dashboard.replica': 3 } }).length).toBeGreaterThan(0);
});
