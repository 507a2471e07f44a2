/**
 * The alert rules the alerts e2e loads into a real Prometheus: the three alerts it causes for real,
 * with the shared metric contract's names and expressions (issue 17) and durations short enough for
 * a test. Production thresholds and durations live with the production rule file
 * (`k8s/monitoring/atc.rules.yaml`); this file only owns the switch between the two.
 * @module
 */
import { stringify } from 'yaml';
import { alertRuleGroups, withAlertSettings } from './alert-rules';

/** One alerting rule, as a Prometheus rule file spells it. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertingRule[];
}

export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/**
 * The test's thresholds: a heartbeat is stale after 20 s without a success (production: 15 min),
 * and every alert fires after its condition held for 2 s (scrape and evaluation run every second).
 */
export const TEST_ALERT_PARAMS = { heartbeatStaleSeconds: 20, for: '2s' } as const;

/** The alerts the e2e causes and clears; each must be in the rule file it loads. */
export const E2E_ALERTS = ['AtcKillSwitchEngaged', 'AtcHeartbeatStale', 'AtcVenueBreakerOpen'] as const;
export type E2eAlert = (typeof E2E_ALERTS)[number];

/**
 * The rule file of the e2e: the production rules (`alertRuleGroups` of ./alert-rules, which also
 * renders `k8s/monitoring/atc.rules.yaml`), with the three alerts it causes set to the test's short
 * threshold and duration, so the e2e proves the production expressions. `test-alert-rules.test.ts`
 * checks whatever this returns.
 */
export function testAlertRules(): RuleFile {
  return {
    groups: alertRuleGroups(
      withAlertSettings({
        AtcKillSwitchEngaged: { for: TEST_ALERT_PARAMS.for },
        AtcHeartbeatStale: { threshold: TEST_ALERT_PARAMS.heartbeatStaleSeconds, for: TEST_ALERT_PARAMS.for },
        AtcVenueBreakerOpen: { for: TEST_ALERT_PARAMS.for },
      }),
    ),
  };
}

/** The rule file as YAML, the way `promtool check rules` and Prometheus read it. */
export function renderRuleFile(rules: RuleFile): string {
  return stringify(rules, { lineWidth: 0 });
}
