/**
 * Every PromQL expression of the monitoring files, with where it stands: the `expr` of each alerting
 * and recording rule of a Prometheus rule file (or a PrometheusRule's spec), and of each Grafana
 * dashboard panel target, query variable and Prometheus annotation. Grafana's own syntax around
 * PromQL is undone first: `$__rate_interval` and friends become durations, other `$variables` a
 * regular expression, and a variable's `label_values(selector, label)` / `query_result(expr)` give
 * up their PromQL.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface PromqlExpression {
  /** The file it was read from, as given. */
  readonly file: string;
  /** Where in the file: `alert AtcHeartbeatStale`, `panel 4 "Kill switch" query A`, `variable service`. */
  readonly where: string;
  /** The PromQL, with Grafana's variables replaced. */
  readonly expr: string;
}

interface RuleGroup {
  readonly name?: unknown;
  readonly rules?: unknown;
}

interface Rule {
  readonly alert?: unknown;
  readonly record?: unknown;
  readonly expr?: unknown;
}

function groupsOf(document: unknown): RuleGroup[] {
  if (typeof document !== 'object' || document === null) return [];
  const top = document as { groups?: unknown; spec?: { groups?: unknown } };
  const groups = top.groups ?? top.spec?.groups;
  return Array.isArray(groups) ? (groups as RuleGroup[]) : [];
}

/** The expressions of a Prometheus rule file (or PrometheusRule manifest), and the series it records. */
export function rulesFileExpressions(file: string): { expressions: PromqlExpression[]; recorded: string[] } {
  const expressions: PromqlExpression[] = [];
  const recorded: string[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length) throw new Error(`${file}: not YAML: ${document.errors[0]?.message}`);
    for (const group of groupsOf(document.toJS())) {
      const rules = Array.isArray(group.rules) ? (group.rules as Rule[]) : [];
      rules.forEach((rule, index) => {
        const name = typeof rule.alert === 'string' ? `alert ${rule.alert}` : `record ${String(rule.record)}`;
        if (typeof rule.record === 'string') recorded.push(rule.record);
        const expr = typeof rule.expr === 'number' ? String(rule.expr) : rule.expr;
        if (typeof expr !== 'string')
          throw new Error(`${file}: group ${String(group.name)} rule ${index + 1} has no expr`);
        expressions.push({ file, where: `group ${String(group.name)} ${name}`, expr });
      });
    }
  }
  return { expressions, recorded };
}

/** Grafana's built-in interval variables, as durations PromQL accepts. */
const INTERVALS: ReadonlyArray<[RegExp, string]> = [
  [/\$__rate_interval\b|\$\{__rate_interval\}/g, '5m'],
  [/\$__interval\b|\$\{__interval\}/g, '1m'],
  [/\$__range\b|\$\{__range\}/g, '1h'],
];

/** The PromQL Grafana sends for `expr`: its interval variables as durations, other variables as `.*`. */
export function withGrafanaVariablesReplaced(expr: string): string {
  let promql = expr;
  for (const [pattern, duration] of INTERVALS) promql = promql.replace(pattern, duration);
  // `$name`, `${name}`, `${name:format}` and the old `[[name]]`; outside a string literal this leaves
  // `.*`, which does not parse: a variable only belongs in a label matcher's value.
  return promql.replace(
    /\$\{[A-Za-z0-9_]+(?::[^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z0-9_]+\]\]/g,
    '.*',
  );
}

/** The PromQL of a Grafana Prometheus variable query; undefined for `label_names()`, `metrics(…)`, … */
export function variableQueryPromql(query: string): string | undefined {
  const trimmed = query.trim();
  const result = /^query_result\(([\s\S]*)\)$/.exec(trimmed);
  if (result) return result[1];
  const values = /^label_values\(([\s\S]*)\)$/.exec(trimmed);
  if (!values?.[1]) return undefined;
  // label_values(selector, label): the selector is everything before the last comma outside braces.
  const inner = values[1];
  let depth = 0;
  let split = -1;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '{' || inner[i] === '(') depth++;
    else if (inner[i] === '}' || inner[i] === ')') depth--;
    else if (inner[i] === ',' && depth === 0) split = i;
  }
  return split === -1 ? undefined : inner.slice(0, split).trim();
}

interface GrafanaPanel {
  readonly id?: number;
  readonly title?: string;
  readonly targets?: ReadonlyArray<{ refId?: string; expr?: unknown }>;
  readonly panels?: readonly GrafanaPanel[];
}

interface GrafanaDashboard {
  readonly panels?: readonly GrafanaPanel[];
  readonly annotations?: { list?: ReadonlyArray<{ name?: string; expr?: unknown }> };
  readonly templating?: { list?: ReadonlyArray<{ name?: string; type?: string; query?: unknown }> };
}

function panelExpressions(file: string, panels: readonly GrafanaPanel[]): PromqlExpression[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? [])
      .filter((target) => typeof target.expr === 'string')
      .map((target) => ({
        file,
        where: `panel ${panel.id ?? '?'} "${panel.title ?? ''}" query ${target.refId ?? '?'}`,
        expr: withGrafanaVariablesReplaced(target.expr as string),
      })),
    // A collapsed row carries its panels inside it.
    ...panelExpressions(file, panel.panels ?? []),
  ]);
}

/** The expressions of a Grafana dashboard JSON: panel targets and query variables. */
export function dashboardExpressions(file: string): PromqlExpression[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard;
  const variables = (dashboard.templating?.list ?? []).flatMap((variable) => {
    if (variable.type !== 'query') return [];
    const query =
      typeof variable.query === 'string' ? variable.query : (variable.query as { query?: unknown })?.query;
    const promql = typeof query === 'string' ? variableQueryPromql(query) : undefined;
    return promql === undefined
      ? []
      : [{ file, where: `variable ${variable.name ?? '?'}`, expr: withGrafanaVariablesReplaced(promql) }];
  });
  const annotations = (dashboard.annotations?.list ?? [])
    .filter((annotation) => typeof annotation.expr === 'string')
    .map((annotation) => ({
      file,
      where: `annotation "${annotation.name ?? ''}"`,
      expr: withGrafanaVariablesReplaced(annotation.expr as string),
    }));
  return [...variables, ...annotations, ...panelExpressions(file, dashboard.panels ?? [])];
}
