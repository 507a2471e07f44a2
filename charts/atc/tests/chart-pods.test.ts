// The pod rules on the rendered chart, for the default values and every ci scenario: security
// context, resources, probes, PodDisruptionBudgets, ServiceAccounts, tokens, grace periods, the CronJob.
import {
  cronJobViolations,
  disruptionBudgetViolations,
  gracePeriodViolations,
  probeViolations,
  resourceViolations,
  securityContextViolations,
  serviceAccountViolations,
  tokenViolations,
} from './chart-rules';
import { FULLNAME, render, scenarios, valuesOf, type KubeObject, type RenderOptions } from './render';
import { at } from './workloads';

const CASES: [string, RenderOptions][] = [
  ['default values', {}],
  ...scenarios().map((file): [string, RenderOptions] => [file, { valuesFiles: [file] }]),
];

/** The dashboard's name when killSwitch.scaleDown.enabled (it then needs its token to scale down). */
function tokenHolder(options: RenderOptions): string | undefined {
  return at(valuesOf(options), 'killSwitch', 'scaleDown', 'enabled') === true
    ? `${FULLNAME}-dashboard`
    : undefined;
}

/** The Deployments whose PodDisruptionBudget the values switch off (`<component>.pdb.enabled: false`). */
function budgetsOptedOut(options: RenderOptions): Set<string> {
  const values = valuesOf(options);
  const components: [string, unknown][] = [
    [`${FULLNAME}-dashboard`, at(values, 'dashboard')],
    [`${FULLNAME}-simulator`, at(values, 'simulator')],
    ...Object.entries((at(values, 'workers') ?? {}) as Record<string, unknown>).map(
      ([market, worker]): [string, unknown] => [`${FULLNAME}-worker-${market}`, worker],
    ),
  ];
  return new Set(
    components.filter(([, component]) => at(component, 'pdb', 'enabled') === false).map(([name]) => name),
  );
}

describe.each(CASES)('%s', (_name, options) => {
  const objects = (): KubeObject[] => render(options);

  it('every container (init and test containers too) has the restricted securityContext', () => {
    expect(securityContextViolations(objects())).toEqual([]);
  });

  it('every container requests CPU and memory and has a memory limit', () => {
    expect(resourceViolations(objects())).toEqual([]);
  });

  it('every Deployment container has startup, liveness and readiness probes on the admin port', () => {
    expect(probeViolations(objects())).toEqual([]);
  });

  it('every Deployment has its own PodDisruptionBudget (unless its values switch it off)', () => {
    expect(disruptionBudgetViolations(objects(), budgetsOptedOut(options))).toEqual([]);
  });

  it('every Deployment, Job and CronJob runs as its own ServiceAccount', () => {
    expect(serviceAccountViolations(objects())).toEqual([]);
  });

  it('no token is mounted except the dashboard’s when the kill switch scales down from it', () => {
    expect(tokenViolations(objects(), tokenHolder(options))).toEqual([]);
  });

  it('every grace period exceeds the drain timeout (SHUTDOWN_TIMEOUT_MS)', () => {
    expect(gracePeriodViolations(objects())).toEqual([]);
  });

  it('the CronJob forbids concurrency and has deadlines and a time zone', () => {
    expect(cronJobViolations(objects())).toEqual([]);
  });
});
