/**
 * The alert rules the alerts e2e loads into a real Prometheus: the three alerts it causes for real,
 * with the shared metric contract's names and expressions (issue 17) and durations short enough for
 * a test. Production thresholds and durations live with the production rule file
 * (`k8s/monitoring/atc.rules.yaml`); this file only owns the switch between the two.
 * @module
 */
import { stringify } from 'yaml';

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
 * The rule file of the e2e.
 *
 * MERGE: when the production rules land (`alertRuleGroups(params)` of ./alert-rules, which renders
 * `k8s/monitoring/atc.rules.yaml`), this body becomes one statement, so the e2e proves the production
 * expressions, and `ownTestAlertRules` below goes away:
 *   return { groups: alertRuleGroups(withAlertSettings({
 *     AtcKillSwitchEngaged: { for: TEST_ALERT_PARAMS.for },
 *     AtcHeartbeatStale: { threshold: TEST_ALERT_PARAMS.heartbeatStaleSeconds, for: TEST_ALERT_PARAMS.for },
 *     AtcVenueBreakerOpen: { for: TEST_ALERT_PARAMS.for },
 *   })) };
 * `test-alert-rules.test.ts` checks whatever this returns.
 */
export function testAlertRules(): RuleFile {
  return ownTestAlertRules(TEST_ALERT_PARAMS);
}

function ownTestAlertRules(params: typeof TEST_ALERT_PARAMS): RuleFile {
  return {
    groups: [
      {
        name: 'atc-alerts-e2e',
        rules: [
          {
            alert: 'AtcKillSwitchEngaged',
            // The dashboard exports the database's state; every replica the same value.
            expr: 'max without (instance, pod) (atc_kill_switch_engaged{scope="global"}) == 1',
            for: params.for,
            labels: { severity: 'critical' },
            annotations: { summary: 'The global kill switch is engaged: no order is sent.' },
          },
          {
            alert: 'AtcHeartbeatStale',
            expr: `time() - max without (instance, pod) (atc_heartbeat_last_success_timestamp_seconds) > ${params.heartbeatStaleSeconds}`,
            for: params.for,
            labels: { severity: 'critical' },
            annotations: {
              summary: `No heartbeat run has succeeded for ${params.heartbeatStaleSeconds} s.`,
            },
          },
          {
            alert: 'AtcVenueBreakerOpen',
            // 2 is open (0 closed, 1 half-open): any role that owns the venue's client.
            expr: 'max by (venue) (atc_venue_breaker_state) == 2',
            for: params.for,
            labels: { severity: 'warning' },
            annotations: { summary: 'The circuit breaker of venue {{ $labels.venue }} is open.' },
          },
        ],
      },
    ],
  };
}

/** The rule file as YAML, the way `promtool check rules` and Prometheus read it. */
export function renderRuleFile(rules: RuleFile): string {
  return stringify(rules, { lineWidth: 0 });
}
