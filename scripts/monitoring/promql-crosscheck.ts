/**
 * The PromQL cross-check of issue 17: every expression of the alert rules and the Grafana dashboards
 * parses (promtool, i.e. Prometheus's own parser) and names only metrics the code registers
 * (registered-metrics.ts), Prometheus's built-in series, or series the rule files record. A renamed
 * metric therefore fails the build (promql-crosscheck.test.ts runs it on the committed files).
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { selectedMetrics, type SelectedMetric } from './promql-names';
import { dashboardExpressions, rulesFileExpressions, type PromqlExpression } from './promql-sources';
import { promtoolPath, unparsableExpressions } from './promtool';
import { registeredMetricNames } from './registered-metrics';

/** Series Prometheus makes itself: scrape health and the alerts' own state. */
export const BUILT_IN_SERIES: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
];

/** The alert rules (written with the chart's monitoring templates) and the generated dashboards. */
export const RULES_FILE = 'k8s/monitoring/atc.rules.yaml';
export const DASHBOARDS_DIRECTORY = 'k8s/monitoring/dashboards';

export interface CrosscheckInput {
  readonly rulesFiles: readonly string[];
  readonly dashboardFiles: readonly string[];
}

/** The repository's monitoring files under `root`: the rule file when it exists, every dashboard. */
export function repositoryInput(root: string): CrosscheckInput {
  const rules = path.join(root, RULES_FILE);
  const dashboards = path.join(root, DASHBOARDS_DIRECTORY);
  return {
    rulesFiles: existsSync(rules) ? [rules] : [],
    dashboardFiles: existsSync(dashboards)
      ? readdirSync(dashboards)
          .filter((file) => file.endsWith('.json'))
          .sort()
          .map((file) => path.join(dashboards, file))
      : [],
  };
}

export interface CrosscheckProblem {
  readonly file: string;
  readonly where: string;
  readonly expr: string;
  /** The unknown metric, for a naming problem; absent when the expression does not parse. */
  readonly metric?: string;
  readonly reason: string;
}

export interface CrosscheckResult {
  readonly expressions: readonly PromqlExpression[];
  readonly problems: readonly CrosscheckProblem[];
}

export interface CrosscheckOptions {
  /** The metric names the code registers; registeredMetricNames() when absent. */
  readonly registered?: ReadonlySet<string>;
  readonly promtool?: string;
}

function isKnown(metric: SelectedMetric, known: ReadonlySet<string>): boolean {
  if (metric.match === 'exact') return known.has(metric.name);
  // A `__name__=~"…"` matcher must select at least one real series (Prometheus anchors the regex).
  const pattern = new RegExp(`^(?:${metric.name})$`);
  return [...known].some((name) => pattern.test(name));
}

function namingProblems(expression: PromqlExpression, known: ReadonlySet<string>): CrosscheckProblem[] {
  const reading = selectedMetrics(expression.expr);
  const problems: CrosscheckProblem[] = reading.syntaxErrors.map((reason) => ({ ...expression, reason }));
  for (const metric of reading.metrics) {
    if (isKnown(metric, known)) continue;
    const what = metric.match === 'exact' ? `metric ${metric.name}` : `no metric matches ${metric.name}`;
    problems.push({ ...expression, metric: metric.name, reason: `${what}: no role registers it` });
  }
  return problems;
}

export async function crosscheck(
  input: CrosscheckInput,
  options: CrosscheckOptions = {},
): Promise<CrosscheckResult> {
  const expressions: PromqlExpression[] = [];
  const recorded: string[] = [];
  for (const file of input.rulesFiles) {
    const rules = rulesFileExpressions(file);
    expressions.push(...rules.expressions);
    recorded.push(...rules.recorded);
  }
  for (const file of input.dashboardFiles) expressions.push(...dashboardExpressions(file));

  const registered = options.registered ?? new Set((await registeredMetricNames()).keys());
  const known = new Set([...registered, ...BUILT_IN_SERIES, ...recorded]);
  const unparsable = unparsableExpressions(
    expressions.map((e) => e.expr),
    options.promtool ?? promtoolPath(),
  );
  const problems = expressions.flatMap((expression, index) => {
    const reason = unparsable.get(index);
    return reason === undefined ? namingProblems(expression, known) : [{ ...expression, reason }];
  });
  return { expressions, problems };
}

/** One line per problem: the file, the place in it, what is wrong and the expression. */
export function describeProblem(problem: CrosscheckProblem): string {
  return `${problem.file}: ${problem.where}: ${problem.reason}\n    ${problem.expr}`;
}
