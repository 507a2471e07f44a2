// The monitoring templates: the PrometheusRule is k8s/monitoring/atc.rules.yaml (thresholds and for:
// from values), a ServiceMonitor per role Service on its `admin` port, a Grafana ConfigMap per
// files/dashboards/*.json, each behind its switch and valid for the Prometheus operator's schemas.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  ALERT_NAMES,
  alertRuleGroups,
  DEFAULT_ALERT_PARAMS,
  hasThreshold,
  withAlertSettings,
} from '../../../scripts/monitoring/alert-rules';
import { validationErrors } from './kube-schemas';
import {
  copyChart,
  NAMESPACE,
  render,
  REPOSITORY_ROOT,
  valuesOf,
  type KubeObject,
  type RenderOptions,
} from './render';

const MONITORING_KINDS = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'];
const RULE_ON = { 'monitoring.prometheusRule.enabled': true };

function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

function groupsOf(options: RenderOptions): unknown {
  const rules = ofKind(render(options), 'PrometheusRule');
  expect(rules).toHaveLength(1);
  return (rules[0] as KubeObject & { spec: { groups: unknown } }).spec.groups;
}

function isDashboardConfigMap(object: KubeObject): boolean {
  return object.kind === 'ConfigMap' && object.metadata.labels?.grafana_dashboard === '1';
}

it('renders no monitoring object with the default values', () => {
  const objects = render();
  expect(objects.filter((object) => MONITORING_KINDS.includes(object.kind))).toEqual([]);
  expect(objects.filter(isDashboardConfigMap)).toEqual([]);
});

describe('the PrometheusRule', () => {
  it('holds exactly the groups of k8s/monitoring/atc.rules.yaml with the default values', () => {
    const file = parse(readFileSync(join(REPOSITORY_ROOT, 'k8s/monitoring/atc.rules.yaml'), 'utf8')) as {
      groups: unknown;
    };
    expect(groupsOf({ set: RULE_ON })).toEqual(file.groups);
  });

  it('takes thresholds, for: and the runbook base URL from values', () => {
    // A values file, not --set: helm's --set reads 0.9 as a string.
    const dir = mkdtempSync(join(tmpdir(), 'atc-rule-values-'));
    const file = join(dir, 'values.yaml');
    writeFileSync(
      file,
      stringify({
        monitoring: {
          prometheusRule: {
            enabled: true,
            runbookBaseUrl: 'https://runbooks.example/atc/',
            alerts: {
              AtcQueueDepthHigh: { threshold: 75 },
              AtcDatabasePoolSaturated: { threshold: 0.9 },
              AtcKillSwitchEngaged: { for: '2m' },
            },
          },
        },
      }),
    );
    let groups: unknown;
    try {
      groups = groupsOf({ valuesFiles: [file] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const expected = alertRuleGroups({
      ...withAlertSettings({
        AtcQueueDepthHigh: { threshold: 75 },
        AtcDatabasePoolSaturated: { threshold: 0.9 },
        AtcKillSwitchEngaged: { for: '2m' },
      }),
      runbookBaseUrl: 'https://runbooks.example/atc/',
    });
    expect(groups).toEqual(expected);
    expect(JSON.stringify(groups)).toContain('atc_queue_depth{status=\\"queued\\"}) > 75');
    expect(groups).not.toEqual(alertRuleGroups());
  });

  it('carries the selector labels of monitoring.prometheusRule.labels', () => {
    const options = { valuesFiles: ['ci/monitoring-values.yaml'] };
    const [rule] = ofKind(render(options), 'PrometheusRule');
    expect(rule?.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(rule?.metadata.labels?.['app.kubernetes.io/component']).toBe('monitoring');
  });

  it('values.yaml offers exactly the defaults of alert-rules.ts (a threshold only where the rule has one)', () => {
    const values = valuesOf() as {
      monitoring: { prometheusRule: { alerts: unknown; runbookBaseUrl: string } };
    };
    expect(values.monitoring.prometheusRule.alerts).toEqual(DEFAULT_ALERT_PARAMS.alerts);
    expect(values.monitoring.prometheusRule.runbookBaseUrl).toBe(DEFAULT_ALERT_PARAMS.runbookBaseUrl);
    expect(ALERT_NAMES.filter(hasThreshold).length).toBeGreaterThan(10);
  });
});

describe('the ServiceMonitors', () => {
  const options = { valuesFiles: ['ci/monitoring-values.yaml'] };

  it('select every role Service that has an admin port, one each, in the release namespace', () => {
    const objects = render(options);
    const monitors = ofKind(objects, 'ServiceMonitor') as (KubeObject & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        namespaceSelector: { matchNames: string[] };
        endpoints: { port: string; path: string; interval: string; honorLabels: boolean }[];
      };
    })[];
    const services = ofKind(objects, 'Service') as (KubeObject & { spec: { ports: { name: string }[] } })[];
    const withAdmin = services.filter((service) => service.spec.ports.some((port) => port.name === 'admin'));
    expect(withAdmin.length).toBeGreaterThanOrEqual(5);
    const selected = monitors.map((monitor) => {
      const matches = withAdmin.filter((service) =>
        Object.entries(monitor.spec.selector.matchLabels).every(
          ([key, value]) => service.metadata.labels?.[key] === value,
        ),
      );
      expect(matches).toHaveLength(1);
      expect(monitor.spec.namespaceSelector.matchNames).toEqual([NAMESPACE]);
      expect(monitor.spec.endpoints).toEqual([
        { port: 'admin', path: '/metrics', interval: '15s', scrapeTimeout: '10s', honorLabels: true },
      ]);
      expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
      return matches[0]?.metadata.name;
    });
    expect(selected.sort()).toEqual(withAdmin.map((service) => service.metadata.name).sort());
  });

  it("scrape the pods' admin port, which the NetworkPolicy opens to the monitoring namespace", () => {
    const objects = render(options);
    const policy = objects.find(
      (object) => object.kind === 'NetworkPolicy' && object.metadata.name.endsWith('-admin'),
    ) as (KubeObject & { spec: { ingress: { ports: { port: unknown }[] }[] } }) | undefined;
    expect(policy?.spec.ingress.flatMap((rule) => rule.ports.map((port) => port.port))).toContain('admin');
    const services = ofKind(objects, 'Service') as (KubeObject & {
      spec: { ports: { name: string; targetPort: unknown }[] };
    })[];
    const admin = services.flatMap((service) => service.spec.ports.filter((port) => port.name === 'admin'));
    expect(admin.every((port) => port.targetPort === 'admin')).toBe(true);
    const deployments = ofKind(objects, 'Deployment') as (KubeObject & {
      spec: { template: { spec: { containers: { ports: { name: string }[] }[] } } };
    })[];
    for (const deployment of deployments)
      expect(deployment.spec.template.spec.containers[0]?.ports.map((port) => port.name)).toContain('admin');
  });

  it('skip a disabled worker', () => {
    const objects = render({ ...options, set: { 'workers.futures.enabled': false } });
    const names = ofKind(objects, 'ServiceMonitor').map((monitor) => monitor.metadata.name);
    expect(names).not.toContain('atc-worker-futures');
    expect(names).toContain('atc-worker-crypto');
  });
});

describe('the Grafana dashboard ConfigMaps', () => {
  it("are the chart's five generated dashboards, each valid JSON under its uid", () => {
    const maps = render({ set: { 'monitoring.grafanaDashboards.enabled': true } }).filter(
      isDashboardConfigMap,
    ) as (KubeObject & { data: Record<string, string> })[];
    expect(maps.map((map) => map.metadata.name).sort()).toEqual([
      'atc-dashboard-atc-error-rates',
      'atc-dashboard-atc-heartbeat-phases',
      'atc-dashboard-atc-system-health',
      'atc-dashboard-atc-trade-execution',
      'atc-dashboard-atc-worker-queues',
    ]);
    for (const map of maps) {
      const [[file, json]] = Object.entries(map.data) as [[string, string]];
      expect(file).toBe(`${(JSON.parse(json) as { uid: string }).uid}.json`);
    }
  });

  it('are one per files/dashboards/*.json, with the sidecar label, and none without files', () => {
    const chart = copyChart();
    try {
      const dashboardsDir = join(chart.dir, 'files', 'dashboards');
      // The copy starts with no dashboard files (the chart's own five are checked below).
      rmSync(dashboardsDir, { recursive: true, force: true });
      mkdirSync(dashboardsDir, { recursive: true });
      const set = { 'monitoring.grafanaDashboards.enabled': true };
      // An empty folder (as before O3's dashboards are copied in): nothing.
      expect(render({ chartDir: chart.dir, set }).filter(isDashboardConfigMap)).toEqual([]);
      const dashboard = { title: 'atc fixture', uid: 'atc-fixture', panels: [] };
      writeFileSync(join(dashboardsDir, 'atc-fixture.json'), JSON.stringify(dashboard, null, 2));
      writeFileSync(join(dashboardsDir, 'worker_queues.json'), JSON.stringify({ title: 'queues' }));
      writeFileSync(join(dashboardsDir, 'notes.txt'), 'not a dashboard');
      const maps = render({
        chartDir: chart.dir,
        set: { ...set, 'monitoring.grafanaDashboards.annotations.grafana_folder': 'atc' },
      }).filter(isDashboardConfigMap);
      expect(maps.map((map) => map.metadata.name).sort()).toEqual([
        'atc-dashboard-atc-fixture',
        'atc-dashboard-worker-queues',
      ]);
      const fixture = maps.find((map) => map.metadata.name === 'atc-dashboard-atc-fixture') as KubeObject & {
        data: Record<string, string>;
      };
      expect(JSON.parse(fixture.data['atc-fixture.json'] ?? '')).toEqual(dashboard);
      expect(fixture.metadata.annotations).toEqual({ grafana_folder: 'atc' });
      expect(validationErrors([maps])).toEqual([[]]);
      const elsewhere = render({
        chartDir: chart.dir,
        set: { ...set, 'monitoring.grafanaDashboards.namespace': 'grafana' },
      }).filter(isDashboardConfigMap);
      expect(elsewhere.map((map) => map.metadata.namespace)).toEqual(['grafana', 'grafana']);
    } finally {
      chart.remove();
    }
  });
});

it('every monitoring object of the ci scenario validates against the Prometheus operator schemas', () => {
  const objects = render({ valuesFiles: ['ci/monitoring-values.yaml'] }).filter((object) =>
    MONITORING_KINDS.includes(object.kind),
  );
  expect(objects.map((object) => object.kind).sort()).toEqual([
    'PrometheusRule',
    ...Array<string>(objects.length - 1).fill('ServiceMonitor'),
  ]);
  expect(validationErrors([objects])).toEqual([[]]);
});
