/**
 * The one source of the Prometheus alert rules. `alertRuleGroups(params)` builds the rule groups with
 * every threshold and `for:` duration taken from params; `npm run alerts:generate` writes the plain rule
 * file (k8s/monitoring/atc.rules.yaml, DEFAULT_ALERT_PARAMS) and the chart's PrometheusRule template
 * (each threshold and duration a Helm expression over `monitoring.prometheusRule.alerts.<name>`).
 *
 * Metrics derived from the database are served by every dashboard replica with the same values, so
 * rules over them aggregate with `max without (instance, pod)`; counters summed across replicas use
 * `sum without (instance, pod)`. Names and labels follow docs/operations/metrics.md.
 *
 * @module
 */

/** A threshold or duration: a number or duration in the plain file, a Helm expression in the chart. */
export type Scalar = number | string;

export type Severity = 'critical' | 'warning' | 'info';

/** One alert's tunables. `threshold` is absent for alerts on a state (engaged, open, not ready). */
export interface AlertSetting {
  threshold?: Scalar;
  for: string;
}

export interface AlertParams {
  /** Where the runbooks live; each alert links `<base>/<kebab-case name>.md`. */
  runbookBaseUrl: string;
  alerts: Record<AlertName, AlertSetting>;
}

/** A Prometheus alerting rule as it appears in a rule file. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface AlertRuleGroup {
  name: string;
  rules: AlertRule[];
}

interface AlertDefinition {
  alert: string;
  group: string;
  severity: Severity;
  /** The default threshold; omitted for state alerts, whose expr ignores its argument. */
  threshold?: number;
  for: string;
  expr: (threshold: Scalar) => string;
  summary: string;
  description: string;
}

/** Aggregation over the dashboard replicas that all export the same database-derived value. */
const ONE = 'max without (instance, pod)';

const DEFINITIONS = [
  {
    alert: 'AtcHeartbeatSlow',
    group: 'atc.heartbeat',
    severity: 'warning',
    threshold: 10,
    for: '1m',
    expr: (t) => `${ONE} (atc_heartbeat_last_success_duration_seconds) > ${t}`,
    summary: 'The last successful heartbeat run was slow',
    description:
      'The last successful heartbeat run took {{ $value | humanizeDuration }}: a phase is slow (see the per-phase durations) and the run nears its budget.',
  },
  {
    alert: 'AtcHeartbeatStale',
    group: 'atc.heartbeat',
    severity: 'critical',
    threshold: 900,
    for: '0m',
    expr: (t) => `time() - ${ONE} (atc_heartbeat_last_success_timestamp_seconds) > ${t}`,
    summary: 'No heartbeat run has succeeded recently',
    description:
      'The last successful heartbeat run ended {{ $value | humanizeDuration }} ago: positions are not monitored and proposals are not triaged.',
  },
  {
    alert: 'AtcQueueDepthHigh',
    group: 'atc.queue',
    severity: 'warning',
    threshold: 50,
    for: '10m',
    expr: (t) => `${ONE} (atc_queue_depth{status="queued"}) > ${t}`,
    summary: 'Steps are piling up in a queue',
    description:
      '{{ $value | humanize }} steps are queued for market {{ $labels.market }}: its workers are not keeping up or not running.',
  },
  {
    alert: 'AtcReconciliationBacklog',
    group: 'atc.queue',
    severity: 'warning',
    threshold: 0,
    for: '15m',
    expr: (t) => `${ONE} (atc_reconciliation_backlog) > ${t}`,
    summary: 'Steps are waiting for reconciliation',
    description:
      '{{ $value | humanize }} steps of market {{ $labels.market }} need reconciliation: their venue outcome is unknown.',
  },
  {
    alert: 'AtcReconciliationStale',
    group: 'atc.queue',
    severity: 'critical',
    threshold: 1800,
    for: '0m',
    expr: (t) => `${ONE} (atc_reconciliation_oldest_age_seconds) > ${t}`,
    summary: 'A step has waited too long for reconciliation',
    description:
      'The oldest step of market {{ $labels.market }} needing reconciliation has waited {{ $value | humanizeDuration }}: a trade may be open at the venue without a position here.',
  },
  {
    alert: 'AtcTradeExecutionFailures',
    group: 'atc.trading',
    severity: 'warning',
    threshold: 0,
    for: '0m',
    expr: (t) =>
      `sum without (instance, pod) (increase(atc_trade_executions_total{result=~"failed|rejected"}[15m])) > ${t}`,
    summary: 'Trade executions are failing',
    description:
      '{{ $value | humanize }} trade execution(s) of market {{ $labels.market }} ended {{ $labels.result }} in the last 15 minutes.',
  },
  {
    alert: 'AtcVenueBreakerOpen',
    group: 'atc.trading',
    severity: 'warning',
    for: '1m',
    expr: () => 'max by (venue) (atc_venue_breaker_state) == 2',
    summary: 'A venue circuit breaker is open',
    description:
      'The circuit breaker of venue {{ $labels.venue }} is open: calls to it fail fast until a probe succeeds.',
  },
  {
    alert: 'AtcKillSwitchEngaged',
    group: 'atc.trading',
    severity: 'warning',
    for: '0m',
    expr: () => `${ONE} (atc_kill_switch_engaged) == 1`,
    summary: 'The kill switch is engaged',
    description:
      'The kill switch is engaged for scope {{ $labels.scope }}: no new trades are placed there until it is released.',
  },
  {
    alert: 'AtcLossLatchEngaged',
    group: 'atc.trading',
    severity: 'warning',
    for: '0m',
    expr: () => `${ONE} (atc_loss_latch_engaged) == 1`,
    summary: 'The daily loss latch is engaged',
    description:
      'The daily loss limit was reached and the loss latch halted trading; it stays engaged until an operator resets it.',
  },
  {
    alert: 'AtcPositionDrift',
    group: 'atc.trading',
    severity: 'critical',
    threshold: 0,
    for: '5m',
    expr: (t) => `${ONE} (atc_position_drift) > ${t}`,
    summary: 'Positions differ from the venue',
    description:
      'Reconciliation found {{ $value | humanize }} open position(s) of market {{ $labels.market }} that differ from the venue.',
  },
  {
    alert: 'AtcErrorRateHigh',
    group: 'atc.errors',
    severity: 'warning',
    threshold: 0.01,
    for: '10m',
    expr: (t) =>
      '((sum(rate(atc_http_requests_total{status=~"5.."}[5m])) or vector(0))' +
      ' + (sum(rate(atc_worker_steps_total{outcome=~"failed|dead"}[5m])) or vector(0)))' +
      ' / ((sum(rate(atc_http_requests_total[5m])) or vector(0))' +
      ` + (sum(rate(atc_worker_steps_total[5m])) or vector(0))) > ${t}`,
    summary: 'Errors are above the error budget',
    description:
      '{{ $value | humanizePercentage }} of API requests and worker steps failed over the last 5 minutes (HTTP 5xx plus failed and dead steps).',
  },
  {
    alert: 'AtcDashboard5xx',
    group: 'atc.errors',
    severity: 'critical',
    threshold: 0.05,
    for: '5m',
    expr: (t) =>
      'sum without (instance, pod, method, route, status) (rate(atc_http_requests_total{status=~"5.."}[5m]))' +
      ' / sum without (instance, pod, method, route, status) (rate(atc_http_requests_total[5m]))' +
      ` > ${t}`,
    summary: 'The dashboard API answers with server errors',
    description:
      '{{ $value | humanizePercentage }} of the API requests to {{ $labels.job }} answered 5xx over the last 5 minutes.',
  },
  {
    alert: 'AtcSseClientsDropped',
    group: 'atc.errors',
    severity: 'info',
    threshold: 0,
    for: '0m',
    expr: (t) => `increase(atc_sse_slow_clients_dropped_total[10m]) > ${t}`,
    summary: 'Slow event-stream clients were dropped',
    description:
      '{{ $labels.instance }} dropped {{ $value | humanize }} event-stream clients in 10 minutes because they read too slowly.',
  },
  {
    alert: 'AtcDatabasePoolSaturated',
    group: 'atc.platform',
    severity: 'warning',
    threshold: 0.8,
    for: '5m',
    // Both series carry the same labels (service, pool, instance, …): a one-to-one match as they are.
    expr: (t) => `atc_db_pool_connections_total / atc_db_pool_connections_max > ${t}`,
    summary: 'A database connection pool is nearly full',
    description:
      'Pool {{ $labels.pool }} of {{ $labels.service }} on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its connections.',
  },
  {
    alert: 'AtcRoleNotReady',
    group: 'atc.platform',
    severity: 'critical',
    for: '5m',
    expr: () => 'atc_role_ready == 0 or up{job=~".*atc.*"} == 0',
    summary: 'A role is not ready or cannot be scraped',
    description:
      '{{ $labels.job }} on {{ $labels.instance }} is not ready or does not answer scrapes: its /health/ready names the failing check.',
  },
  {
    alert: 'AtcRoleRestarting',
    group: 'atc.platform',
    severity: 'warning',
    threshold: 2,
    for: '0m',
    expr: (t) => `changes(atc_process_start_time_seconds[15m]) > ${t}`,
    summary: 'A role keeps restarting',
    description:
      '{{ $labels.service }} on {{ $labels.instance }} restarted {{ $value | humanize }} times in 15 minutes.',
  },
] as const satisfies readonly AlertDefinition[];

export type AlertName = (typeof DEFINITIONS)[number]['alert'];

/** Every alert name, in rule-file order. */
export const ALERT_NAMES: readonly AlertName[] = DEFINITIONS.map((definition) => definition.alert);

/** Where the runbooks are published (the repository's docs/runbooks on main). */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/atc/atc/blob/main/docs/runbooks';

/** `AtcHeartbeatSlow` → `atc-heartbeat-slow`, `AtcDashboard5xx` → `atc-dashboard-5xx` (a runbook's file name). */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([a-z])([0-9])/g, '$1-$2')
    .toLowerCase();
}

/** The runbook file of an alert, relative to docs/runbooks. */
export function runbookFile(name: string): string {
  return `${kebabCase(name)}.md`;
}

function defaultSetting(definition: AlertDefinition): AlertSetting {
  return definition.threshold === undefined
    ? { for: definition.for }
    : { threshold: definition.threshold, for: definition.for };
}

export const DEFAULT_ALERT_PARAMS: AlertParams = {
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  alerts: Object.fromEntries(
    DEFINITIONS.map((definition: AlertDefinition) => [definition.alert, defaultSetting(definition)]),
  ) as Record<AlertName, AlertSetting>,
};

/** Whether an alert has a threshold (the chart's values offer `threshold` only for those). */
export function hasThreshold(name: AlertName): boolean {
  return DEFINITIONS.some(
    (definition: AlertDefinition) => definition.alert === name && 'threshold' in definition,
  );
}

function ruleOf(definition: AlertDefinition, params: AlertParams): AlertRule {
  const setting = params.alerts[definition.alert as AlertName];
  if (!setting) throw new Error(`alert params: no setting for ${definition.alert}`);
  if (definition.threshold !== undefined && setting.threshold === undefined)
    throw new Error(`alert params: ${definition.alert} needs a threshold`);
  return {
    alert: definition.alert,
    expr: definition.expr(setting.threshold ?? ''),
    for: setting.for,
    labels: { severity: definition.severity },
    annotations: {
      summary: definition.summary,
      description: definition.description,
      runbook_url: `${params.runbookBaseUrl.replace(/\/+$/, '')}/${runbookFile(definition.alert)}`,
    },
  };
}

/** The rule groups, every threshold and `for:` duration from params. */
export function alertRuleGroups(params: AlertParams = DEFAULT_ALERT_PARAMS): AlertRuleGroup[] {
  const groups = new Map<string, AlertRule[]>();
  for (const definition of DEFINITIONS as readonly AlertDefinition[]) {
    const rules = groups.get(definition.group) ?? [];
    rules.push(ruleOf(definition, params));
    groups.set(definition.group, rules);
  }
  return [...groups].map(([name, rules]) => ({ name, rules }));
}

/** DEFAULT_ALERT_PARAMS with some alerts' settings replaced (e.g. short `for:` for an end-to-end test). */
export function withAlertSettings(
  overrides: Partial<Record<AlertName, Partial<AlertSetting>>>,
  base: AlertParams = DEFAULT_ALERT_PARAMS,
): AlertParams {
  const alerts = { ...base.alerts };
  for (const [name, setting] of Object.entries(overrides) as [AlertName, Partial<AlertSetting>][])
    alerts[name] = { ...alerts[name], ...setting };
  return { ...base, alerts };
}
