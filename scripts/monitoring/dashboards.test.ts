import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDashboards, DASHBOARD_DIRECTORIES, REPOSITORY_ROOT } from './dashboards/index';

// prettier (which formats the files) cannot load inside jest, so the drift check runs as the script.
const GENERATOR = path.join(__dirname, 'dashboards-generate.ts');

function runCheck(root: string): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', GENERATOR, '--check', '--root', root], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: { defaults?: { unit?: string; thresholds?: { steps: { value: number | null }[] } } };
}
interface Dashboard {
  uid: string;
  version: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
  annotations: { list: { name: string; expr?: string }[] };
}

/** The database-derived metrics of the contract: one value per deployment, whichever replica serves it. */
const FROM_DATABASE = [
  'atc_heartbeat_last_success_timestamp_seconds',
  'atc_heartbeat_last_success_duration_seconds',
  'atc_heartbeat_last_success_phase_duration_seconds',
  'atc_heartbeat_runs_last_hour',
  'atc_queue_depth',
  'atc_queue_oldest_queued_age_seconds',
  'atc_reconciliation_backlog',
  'atc_reconciliation_oldest_age_seconds',
  'atc_positions_open',
  'atc_exposure_usd',
  'atc_pnl_today_usd',
  'atc_kill_switch_engaged',
  'atc_loss_latch_engaged',
  'atc_position_drift',
  'atc_trade_executions_last_hour',
  'atc_exporter_last_success_timestamp_seconds',
];

let dashboards: Dashboard[];

beforeAll(() => {
  dashboards = JSON.parse(JSON.stringify(buildDashboards())) as Dashboard[];
});

const panelsOf = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');
const allPanels = () => dashboards.flatMap((d) => panelsOf(d).map((panel) => ({ uid: d.uid, panel })));

describe('the generated dashboards', () => {
  it('are the five of issue 17, with fixed uids and version', () => {
    expect(dashboards.map((d) => [d.uid, d.version])).toEqual([
      ['atc-system-health', 1],
      ['atc-trade-execution', 1],
      ['atc-worker-queues', 1],
      ['atc-error-rates', 1],
      ['atc-heartbeat-phases', 1],
    ]);
  });

  it('build the same objects twice (deterministic output)', () => {
    expect(JSON.stringify(buildDashboards())).toBe(JSON.stringify(dashboards));
  });

  it('let the viewer choose the Prometheus data source and the namespace, and query through them', () => {
    for (const d of dashboards) {
      const variables = d.templating.list.map((v) => [v.name, v.type]);
      expect(variables).toEqual(
        expect.arrayContaining([
          ['datasource', 'datasource'],
          ['namespace', 'query'],
        ]),
      );
      expect(d.templating.list.find((v) => v.name === 'datasource')?.query).toBe('prometheus');
    }
    for (const { panel } of allPanels()) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${datasource}');
      for (const target of panel.targets ?? []) expect(target.expr).toContain('namespace=~"$namespace"');
    }
  });

  it('mark the firing atc alerts on their time series', () => {
    for (const d of dashboards)
      expect(d.annotations.list.map((a) => a.expr)).toContain(
        'ALERTS{alertname=~"Atc.*", alertstate="firing", namespace=~"$namespace"}',
      );
  });

  it('number panels and their queries, and give every panel a unit', () => {
    for (const d of dashboards) expect(d.panels.map((p) => p.id)).toEqual(d.panels.map((_, i) => i + 1));
    for (const { uid, panel } of allPanels()) {
      expect([uid, panel.title, panel.fieldConfig?.defaults?.unit]).toEqual([
        uid,
        panel.title,
        expect.any(String),
      ]);
      expect(panel.targets?.map((t) => t.refId)).toEqual(panel.targets?.map((_, i) => 'ABCDEF'[i]));
    }
  });

  it.each([
    ['atc-heartbeat-phases', 'Last duration', 's', 10],
    ['atc-system-health', 'Heartbeat: last duration', 's', 10],
    ['atc-worker-queues', 'Queue depth by market and status', 'short', 50],
    ['atc-system-health', 'Pool usage', 'percentunit', 0.8],
    ['atc-error-rates', 'Error ratio (HTTP 5xx + failed steps)', 'percentunit', 0.01],
    ['atc-system-health', 'Heartbeat: since last success', 's', 900],
  ])('draw the alert threshold on %s / %s (%s, %d)', (uid, title, unit, threshold) => {
    const panel = dashboards.find((d) => d.uid === uid)?.panels.find((p) => p.title === title);
    expect(panel?.fieldConfig?.defaults?.unit).toBe(unit);
    expect(panel?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value)).toContain(threshold);
  });

  it('use USD for money and bytes for memory', () => {
    const unitOf = (title: string) => allPanels().find(({ panel }) => panel.title === title)?.panel;
    expect(unitOf('Exposure by market')?.fieldConfig?.defaults?.unit).toBe('currencyUSD');
    expect(unitOf("Today's P&L by market")?.fieldConfig?.defaults?.unit).toBe('currencyUSD');
    expect(unitOf('Resident memory')?.fieldConfig?.defaults?.unit).toBe('bytes');
  });

  it('reduce database-derived metrics to one series per deployment with max without (instance, pod)', () => {
    const exprs = allPanels().flatMap(({ panel }) => (panel.targets ?? []).map((t) => t.expr ?? ''));
    const used = FROM_DATABASE.filter((metric) => exprs.some((e) => e.includes(metric)));
    expect(used).toEqual(FROM_DATABASE);
    for (const metric of FROM_DATABASE) {
      for (const expr of exprs.filter((e) => new RegExp(`\\b${metric}\\b`).test(e)))
        expect(expr).toContain(`max without (instance, pod) (${metric}{`);
    }
  });
});

describe('the drift check (npm run dashboards:check)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'atc-dashboards-'));
    for (const directory of DASHBOARD_DIRECTORIES)
      cpSync(path.join(REPOSITORY_ROOT, directory), path.join(root, directory), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes on the committed files', () => {
    expect(runCheck(REPOSITORY_ROOT)).toEqual({
      status: 0,
      output: expect.stringContaining('5 dashboards up to date') as string,
    });
  });

  it('names an edited copy, a missing one and a left-over file', () => {
    const [k8s, chart] = DASHBOARD_DIRECTORIES;
    const edited = path.join(root, chart, 'atc-system-health.json');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('"version": 1', '"version": 2'));
    rmSync(path.join(root, k8s, 'atc-error-rates.json'));
    writeFileSync(path.join(root, k8s, 'old.json'), '{}');

    const result = runCheck(root);

    expect(result.status).toBe(1);
    expect(result.output.split('\n').slice(0, 3)).toEqual([
      'k8s/monitoring/dashboards/atc-error-rates.json is missing',
      "k8s/monitoring/dashboards/old.json is no dashboard's output any more",
      'charts/atc/files/dashboards/atc-system-health.json differs from what its source generates',
    ]);
  });
});
