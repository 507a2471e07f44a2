import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crosscheck, DASHBOARDS_DIRECTORY, describeProblem, repositoryInput } from './promql-crosscheck';
import { registeredMetricNames } from './registered-metrics';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE_RULES = path.join(__dirname, 'fixtures', 'crosscheck.rules.yaml');
const SYSTEM_HEALTH = path.join(ROOT, DASHBOARDS_DIRECTORY, 'atc-system-health.json');

let registered: ReadonlySet<string>;
let scratch: string;

beforeAll(async () => {
  registered = new Set((await registeredMetricNames()).keys());
});

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'atc-crosscheck-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of `file` in the scratch folder with every `from` replaced by `to`. */
function copyWith(file: string, from: string, to: string): string {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  const copy = path.join(scratch, path.basename(file));
  writeFileSync(copy, text.split(from).join(to));
  return copy;
}

describe('the PromQL cross-check on the committed monitoring files', () => {
  it('finds every rule and dashboard expression parsing and naming only registered metrics', async () => {
    const input = repositoryInput(ROOT);
    expect(input.dashboardFiles.map((file) => path.basename(file))).toEqual([
      'atc-error-rates.json',
      'atc-heartbeat-phases.json',
      'atc-system-health.json',
      'atc-trade-execution.json',
      'atc-worker-queues.json',
    ]);

    const result = await crosscheck(input, { registered });

    expect(result.problems.map(describeProblem)).toEqual([]);
    const places = result.expressions.map((e) => e.where);
    expect(places).toEqual(expect.arrayContaining(['variable service', 'annotation "atc alerts firing"']));
    for (const file of [...input.rulesFiles, ...input.dashboardFiles])
      expect(result.expressions.filter((e) => e.file === file).length).toBeGreaterThan(3);
  });

  it('checks the fixture rule file too: recorded series and __name__ matchers included', async () => {
    const result = await crosscheck({ rulesFiles: [FIXTURE_RULES], dashboardFiles: [] }, { registered });

    expect(result.problems.map(describeProblem)).toEqual([]);
    expect(result.expressions.map((e) => e.where)).toContain(
      'group atc-fixture-alerts alert AtcDashboard5xx',
    );
    expect(result.expressions).toHaveLength(8);
  });
});

describe('the PromQL cross-check on deliberately broken copies', () => {
  it('fails on a metric renamed in the rules and in a dashboard, naming the metric and the file', async () => {
    // The real rule file once it exists, else the fixture in its shape.
    const rules = copyWith(
      repositoryInput(ROOT).rulesFiles[0] ?? FIXTURE_RULES,
      'atc_db_pool_connections_max',
      'atc_db_pool_connections_maxx',
    );
    const dashboard = copyWith(SYSTEM_HEALTH, 'atc_db_pool_connections_max', 'atc_db_pool_connections_maxx');

    const result = await crosscheck({ rulesFiles: [rules], dashboardFiles: [dashboard] }, { registered });

    expect(result.problems.length).toBeGreaterThanOrEqual(2);
    for (const problem of result.problems) expect(problem.metric).toBe('atc_db_pool_connections_maxx');
    expect(new Set(result.problems.map((p) => p.file))).toEqual(new Set([rules, dashboard]));
    const messages = result.problems.map(describeProblem).join('\n');
    expect(messages).toContain(`${rules}: group `);
    expect(messages).toContain(`${dashboard}: panel `);
    expect(messages).toContain('metric atc_db_pool_connections_maxx: no role registers it');
  });

  it('fails on an expression that does not parse, naming the expression and the file', async () => {
    const broken = 'sum(rate(atc_http_requests_total{status=~"5.."}[5m])';
    const rules = copyWith(FIXTURE_RULES, 'max by (venue) (atc_venue_breaker_state) == 2', `${broken} > 0`);
    const dashboard = copyWith(
      SYSTEM_HEALTH,
      'count by (version) (atc_build_info{',
      'count by (version) (atc_build_info{{',
    );

    const result = await crosscheck({ rulesFiles: [rules], dashboardFiles: [dashboard] }, { registered });

    expect(result.problems).toEqual([
      expect.objectContaining({
        file: rules,
        where: 'group atc-fixture-alerts alert AtcVenueBreakerOpen',
        expr: `${broken} > 0`,
        reason: expect.stringContaining('could not parse expression') as string,
      }),
      expect.objectContaining({
        file: dashboard,
        where: 'panel 9 "Builds running" query A',
        reason: expect.stringContaining('parse error') as string,
      }),
    ]);
  });

  it('fails, saying how to install promtool, when promtool cannot be run', async () => {
    await expect(
      crosscheck(
        { rulesFiles: [FIXTURE_RULES], dashboardFiles: [] },
        { registered, promtool: path.join(scratch, 'promtool') },
      ),
    ).rejects.toThrow('apt-get install prometheus');
  });

  it('fails on a metric the rules record under another name than they use', async () => {
    const rules = copyWith(FIXTURE_RULES, 'record: atc:http_5xx_ratio:rate5m', 'record: atc:http_5xx:rate5m');

    const result = await crosscheck({ rulesFiles: [rules], dashboardFiles: [] }, { registered });

    expect(result.problems.map((p) => [p.where, p.metric])).toEqual([
      ['group atc-fixture-alerts alert AtcDashboard5xx', 'atc:http_5xx_ratio:rate5m'],
    ]);
  });
});

describe('the registered metric names', () => {
  it("come from each role's registry, histograms as their series", async () => {
    const names = await registeredMetricNames();

    expect(names.get('atc_http_requests_total')).toEqual(['dashboard']);
    // The roundtable's Anthropic client (LLM voices) has a venue breaker too.
    expect(names.get('atc_venue_breaker_state')).toEqual(['worker', 'roundtable', 'heartbeat']);
    expect(names.get('atc_llm_calls_total')).toEqual(['roundtable']);
    expect(names.get('atc_llm_budget_used_ratio')).toEqual(['roundtable']);
    expect(names.get('atc_db_pool_connections_max')).toEqual(['dashboard', 'worker', 'roundtable']);
    expect(names.get('atc_heartbeat_runs_total')).toEqual(['heartbeat']);
    expect(names.has('atc_worker_step_duration_seconds_bucket')).toBe(true);
    expect(names.has('atc_worker_step_duration_seconds_count')).toBe(true);
    expect(names.has('atc_worker_step_duration_seconds')).toBe(false);
    expect(names.has('atc_process_start_time_seconds')).toBe(true);
  });

  it("include the business metrics (the dashboard exports them) and the roles' own new ones", async () => {
    const names = await registeredMetricNames();

    expect(names.get('atc_kill_switch_engaged')).toEqual(['dashboard']);
    expect(names.get('atc_heartbeat_last_success_timestamp_seconds')).toEqual(['dashboard']);
    // Moved from the workers to the exporter: once per deployment, not once per worker.
    expect(names.get('atc_queue_depth')).toEqual(['dashboard']);
    expect(names.has('atc_exporter_query_duration_seconds_bucket')).toBe(true);
    expect(names.get('atc_trade_executions_total')).toEqual(['worker']);
    expect(names.get('atc_role_ready')).toEqual([
      'dashboard',
      'worker',
      'roundtable',
      'heartbeat',
      'simulator',
    ]);
  });
});
