// The alert rules: the generated files match alert-rules.ts, promtool accepts the rule file and passes
// its unit tests (k8s/monitoring/tests), every alert has a firing and a quiet case, every runbook_url
// names an existing docs/runbooks page, and a changed threshold makes the unit tests fail.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ALERT_NAMES,
  alertRuleGroups,
  DEFAULT_RUNBOOK_BASE_URL,
  kebabCase,
  withAlertSettings,
} from './alert-rules';
import {
  CHART_RULE_TEMPLATE,
  chartRuleTemplateText,
  REPOSITORY_ROOT,
  RULES_FILE,
  rulesYaml,
} from './alert-rules-files';

const TESTS_DIR = path.join(REPOSITORY_ROOT, 'k8s/monitoring/tests');
const RUNBOOKS_DIR = path.join(REPOSITORY_ROOT, 'docs/runbooks');

/** Runs promtool; a missing promtool fails the test (never skips it). */
function promtool(args: string[], env = process.env): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8', env });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT')
    throw new Error('promtool is not installed: apt-get install prometheus (Debian) provides it');
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function testFiles(dir = TESTS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => path.join(dir, name));
}

interface RuleTestCase {
  alertname: string;
  exp_alerts?: unknown[] | null;
}
interface RuleTestFile {
  tests: { name: string; alert_rule_test?: RuleTestCase[] }[];
}

function ruleTestCases(): RuleTestCase[] {
  return testFiles().flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as RuleTestFile).tests.flatMap((test) => test.alert_rule_test ?? []),
  );
}

it('the rule file and the chart template are generated from alert-rules.ts (npm run alerts:generate)', () => {
  expect(readFileSync(CHART_RULE_TEMPLATE, 'utf8')).toBe(chartRuleTemplateText());
  // The rule file goes through prettier, which jest's CommonJS cannot load: the check runs as a process.
  const check = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'alerts-generate.ts'), '--check'],
    { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
  );
  expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  expect(readFileSync(RULES_FILE, 'utf8')).toContain(rulesYaml().split('\n')[1]);
});

it('promtool check rules accepts the rule file', () => {
  const { status, output } = promtool(['check', 'rules', RULES_FILE]);
  expect(output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
  expect(status).toBe(0);
});

it('promtool test rules passes every unit test', () => {
  const { status, output } = promtool(['test', 'rules', ...testFiles()]);
  if (status !== 0) throw new Error(`promtool test rules failed:\n${output}`);
  expect(output).not.toContain('FAILED');
});

it('a missing promtool fails with the package to install, never skips', () => {
  expect(() => promtool(['--version'], { PATH: '/nonexistent' })).toThrow('apt-get install prometheus');
});

it('every alert has a case that fires and one that stays quiet, and tests name only known alerts', () => {
  const cases = ruleTestCases();
  const firing = new Set(cases.filter((c) => (c.exp_alerts ?? []).length > 0).map((c) => c.alertname));
  const quiet = new Set(cases.filter((c) => (c.exp_alerts ?? []).length === 0).map((c) => c.alertname));
  expect(ALERT_NAMES.filter((name) => !firing.has(name))).toEqual([]);
  expect(ALERT_NAMES.filter((name) => !quiet.has(name))).toEqual([]);
  const known = new Set<string>(ALERT_NAMES);
  expect(cases.map((c) => c.alertname).filter((name) => !known.has(name))).toEqual([]);
});

it('every rule has a severity, a summary, a description and a runbook_url naming an existing page', () => {
  const problems: string[] = [];
  for (const rule of alertRuleGroups().flatMap((group) => group.rules)) {
    if (!['critical', 'warning', 'info'].includes(rule.labels.severity))
      problems.push(`${rule.alert}: severity`);
    if (!rule.annotations.summary || !rule.annotations.description) problems.push(`${rule.alert}: text`);
    const url = rule.annotations.runbook_url;
    const file = url.slice(DEFAULT_RUNBOOK_BASE_URL.length + 1);
    if (!url.startsWith(`${DEFAULT_RUNBOOK_BASE_URL}/`) || file !== `${kebabCase(rule.alert)}.md`)
      problems.push(`${rule.alert}: runbook_url ${url}`);
    else if (!existsSync(path.join(RUNBOOKS_DIR, file)))
      problems.push(`${rule.alert}: no docs/runbooks/${file}`);
  }
  expect(problems).toEqual([]);
});

it('rules over database-derived metrics count each dashboard replica once (max without instance, pod)', () => {
  const exported =
    /atc_(heartbeat_last_success|queue_depth|queue_oldest|reconciliation_|positions_open|exposure_usd|pnl_today|kill_switch_engaged|loss_latch_engaged|position_drift)/;
  const rules = alertRuleGroups().flatMap((group) => group.rules);
  const unaggregated = rules
    .filter((rule) => exported.test(rule.expr) && !rule.expr.includes('max without (instance, pod) ('))
    .map((rule) => rule.alert);
  expect(rules.filter((rule) => exported.test(rule.expr)).length).toBeGreaterThan(5);
  expect(unaggregated).toEqual([]);
});

describe('a rule file rendered with other thresholds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'atc-rules-'));
    cpSync(TESTS_DIR, path.join(dir, 'tests'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the unit tests of the alerts it changed (the tests can fail)', () => {
    const params = withAlertSettings({
      AtcQueueDepthHigh: { threshold: 1000 },
      AtcKillSwitchEngaged: { for: '1h' },
    });
    writeFileSync(path.join(dir, 'atc.rules.yaml'), rulesYaml(params));
    const { status, output } = promtool(['test', 'rules', ...testFiles(path.join(dir, 'tests'))]);
    expect(status).not.toBe(0);
    const failed = [...output.matchAll(/alertname: (\w+)/g)].map((match) => match[1]);
    expect(new Set(failed)).toEqual(new Set(['AtcQueueDepthHigh', 'AtcKillSwitchEngaged']));
  });

  it('keeps the runbook base URL a parameter', () => {
    const params = { ...withAlertSettings({}), runbookBaseUrl: 'https://runbooks.example/atc/' };
    const urls = alertRuleGroups(params).flatMap((group) =>
      group.rules.map((r) => r.annotations.runbook_url),
    );
    expect(urls).toContain('https://runbooks.example/atc/atc-heartbeat-stale.md');
    expect(urls.every((url) => url.startsWith('https://runbooks.example/atc/atc-'))).toBe(true);
  });
});

describe('docs/runbooks', () => {
  const read = (file: string): string => readFileSync(path.join(RUNBOOKS_DIR, file), 'utf8');

  it('each alert page says what it means, how to confirm, mitigate and escalate', () => {
    const missing = ALERT_NAMES.flatMap((name) => {
      const page = read(`${kebabCase(name)}.md`);
      return ['# ' + name, '## What it means', '## Confirm', '## Mitigate', '## Escalate']
        .filter((heading) => !page.includes(`${heading}\n`))
        .map((heading) => `${name}: ${heading}`);
    });
    expect(missing).toEqual([]);
  });

  it('the index links every page, the checklist procedures included', () => {
    const index = read('README.md');
    const pages = readdirSync(RUNBOOKS_DIR).filter((name) => name.endsWith('.md') && name !== 'README.md');
    for (const procedure of ['emergency-shutdown', 'database-restore', 'worker-failure', 'heartbeat-failure'])
      expect(pages).toContain(`${procedure}.md`);
    expect(pages.filter((page) => !index.includes(`](${page})`))).toEqual([]);
  });
});
