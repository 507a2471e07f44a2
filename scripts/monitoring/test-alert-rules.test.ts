import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  E2E_ALERTS,
  renderRuleFile,
  TEST_ALERT_PARAMS,
  testAlertRules,
  type AlertingRule,
  type RuleFile,
} from './test-alert-rules';

// The rule file the alerts e2e loads: checked by promtool, and each of its three alerts proven with
// `promtool test rules` — a case where it fires and one where it stays quiet — on synthetic series,
// so a broken expression fails here in a second rather than in the e2e.
const work = mkdtempSync(path.join(tmpdir(), 'atc-test-alert-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function promtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8', cwd: work });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const rules = (file: RuleFile): AlertingRule[] => file.groups.flatMap((group) => group.rules);
const rule = (file: RuleFile, name: string): AlertingRule =>
  rules(file).find((entry) => entry.alert === name)!;

/** What the alert carries when it fires: the rule's own labels plus those the expression keeps. */
function expected(file: RuleFile, name: string, kept: Record<string, string>) {
  return { exp_labels: { ...rule(file, name).labels, ...kept } };
}

/** The rules without annotations: these tests prove expressions and labels, not the wording (templated). */
const withoutAnnotations = (file: RuleFile): RuleFile => ({
  groups: file.groups.map((group) => ({
    ...group,
    rules: group.rules.map(({ annotations: _annotations, ...entry }) => entry),
  })),
});

/** A promtool unit-test file: a firing and a quiet case per alert, series sampled every second. */
function unitTests(file: RuleFile, ruleFileName: string): string {
  const stale = TEST_ALERT_PARAMS.heartbeatStaleSeconds;
  const test = (series: { series: string; values: string }[], checks: object[]) => ({
    interval: '1s',
    input_series: series,
    alert_rule_test: checks,
  });
  return stringify({
    rule_files: [ruleFileName],
    evaluation_interval: '1s',
    tests: [
      test(
        [
          { series: 'atc_kill_switch_engaged{scope="global", instance="a"}', values: '0 0 0 1x20' },
          { series: 'atc_kill_switch_engaged{scope="global", instance="b"}', values: '0 0 0 1x20' },
        ],
        [
          { eval_time: '2s', alertname: 'AtcKillSwitchEngaged', exp_alerts: [] },
          {
            eval_time: '8s',
            alertname: 'AtcKillSwitchEngaged',
            exp_alerts: [expected(file, 'AtcKillSwitchEngaged', { scope: 'global' })],
          },
        ],
      ),
      test(
        [
          // Fresh: the last success follows the clock, a run every 2 s, then stops at 10 s.
          {
            series: 'atc_heartbeat_last_success_timestamp_seconds{instance="a"}',
            values: '0 0 2 2 4 4 6 6 8 8 10x40',
          },
        ],
        [
          { eval_time: `${stale + 9}s`, alertname: 'AtcHeartbeatStale', exp_alerts: [] },
          {
            eval_time: `${stale + 15}s`,
            alertname: 'AtcHeartbeatStale',
            exp_alerts: [expected(file, 'AtcHeartbeatStale', {})],
          },
        ],
      ),
      test(
        [
          {
            series: 'atc_venue_breaker_state{venue="jupiter", service="heartbeat", instance="a"}',
            values: '0 1 1 1 2x10',
          },
          {
            series: 'atc_venue_breaker_state{venue="jupiter", service="worker", instance="b"}',
            values: '0x14',
          },
          {
            series: 'atc_venue_breaker_state{venue="tradier", service="heartbeat", instance="a"}',
            values: '1x14',
          },
        ],
        [
          // Half-open (1) is probing, not open.
          { eval_time: '3s', alertname: 'AtcVenueBreakerOpen', exp_alerts: [] },
          {
            eval_time: '10s',
            alertname: 'AtcVenueBreakerOpen',
            exp_alerts: [expected(file, 'AtcVenueBreakerOpen', { venue: 'jupiter' })],
          },
        ],
      ),
    ],
  });
}

function testRules(file: RuleFile, name: string): { status: number | null; output: string } {
  writeFileSync(path.join(work, `${name}.rules.yaml`), renderRuleFile(withoutAnnotations(file)));
  writeFileSync(path.join(work, `${name}.test.yaml`), unitTests(file, `${name}.rules.yaml`));
  return promtool(['test', 'rules', `${name}.test.yaml`]);
}

describe('the alerts e2e rule file', () => {
  const file = testAlertRules();

  it('holds each alert the e2e causes once, with the short test duration', () => {
    expect(rules(file).map((entry) => entry.alert)).toEqual(expect.arrayContaining([...E2E_ALERTS]));
    for (const name of E2E_ALERTS) {
      expect(rules(file).filter((entry) => entry.alert === name)).toHaveLength(1);
      expect(rule(file, name).for).toBe(TEST_ALERT_PARAMS.for);
    }
    expect(rule(file, 'AtcHeartbeatStale').expr).toContain(`> ${TEST_ALERT_PARAMS.heartbeatStaleSeconds}`);
  });

  it('passes promtool check rules', () => {
    writeFileSync(path.join(work, 'check.rules.yaml'), renderRuleFile(file));
    const result = promtool(['check', 'rules', 'check.rules.yaml']);
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it('fires each alert on its condition and keeps it quiet otherwise (promtool test rules)', () => {
    const result = testRules(file, 'as-is');
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  it.each([
    ['AtcVenueBreakerOpen', (expr: string) => expr.replace('== 2', '>= 1')],
    ['AtcKillSwitchEngaged', (expr: string) => expr.replace('== 1', '== 0')],
    ['AtcHeartbeatStale', (expr: string) => expr.replace(/> \d+$/, '> 60')],
  ])('fails promtool test rules when %s is broken', (name, breakIt) => {
    const broken: RuleFile = {
      groups: file.groups.map((group) => ({
        ...group,
        rules: group.rules.map((entry) =>
          entry.alert === name ? { ...entry, expr: breakIt(entry.expr) } : entry,
        ),
      })),
    };
    expect(rule(broken, name).expr).not.toBe(rule(file, name).expr);
    const result = testRules(broken, `broken-${name}`);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(new RegExp(`alertname: ${name}`));
  });
});
