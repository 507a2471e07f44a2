/**
 * The metric names a PromQL expression selects, read from Prometheus's own lezer grammar
 * (@prometheus-io/lezer-promql, the one the Prometheus UI uses), not from a regular expression:
 * every VectorSelector's metric identifier, its `{"quoted_name"}` form, and `__name__` matchers.
 * @module
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/** A metric a selector names: exactly (`name`, `{__name__="name"}`) or by a regular expression. */
export interface SelectedMetric {
  readonly name: string;
  readonly match: 'exact' | 'regex';
}

export interface SelectorReading {
  readonly metrics: SelectedMetric[];
  /** Where the grammar found no valid expression (promtool reports the details). */
  readonly syntaxErrors: string[];
}

/** The value of a PromQL string literal: "…" and '…' with escapes, `…` raw. */
function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  if (quote === "'") return body.replace(/\\(.)/g, '$1');
  return JSON.parse(literal) as string;
}

function textOf(expr: string, node: SyntaxNode): string {
  return expr.slice(node.from, node.to);
}

/** The label a matcher tests: `name` of `name="v"` or `"name"="v"`. */
function matcherLabel(expr: string, matcher: SyntaxNode): string | undefined {
  const plain = matcher.getChild('LabelName');
  if (plain) return textOf(expr, plain);
  const quoted = matcher.getChild('QuotedLabelName')?.getChild('StringLiteral');
  return quoted ? unquote(textOf(expr, quoted)) : undefined;
}

function namesOfMatchers(expr: string, matchers: SyntaxNode): SelectedMetric[] {
  const found: SelectedMetric[] = [];
  for (let child = matchers.firstChild; child; child = child.nextSibling) {
    // `{"metric_name", …}`: a bare quoted name is the metric (Prometheus 3's UTF-8 names).
    if (child.name === 'QuotedLabelName') {
      const literal = child.getChild('StringLiteral');
      if (literal) found.push({ name: unquote(textOf(expr, literal)), match: 'exact' });
      continue;
    }
    if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
    if (matcherLabel(expr, child) !== '__name__') continue;
    const op = child.getChild('MatchOp')?.firstChild?.name;
    const value = child.getChild('StringLiteral');
    if (!value) continue;
    if (op === 'EqlSingle') found.push({ name: unquote(textOf(expr, value)), match: 'exact' });
    if (op === 'EqlRegex') found.push({ name: unquote(textOf(expr, value)), match: 'regex' });
    // `!=` and `!~` exclude names; they name nothing that must exist.
  }
  return found;
}

/** The metrics every selector of `expr` names, in order of appearance, and any syntax errors. */
export function selectedMetrics(expr: string): SelectorReading {
  const metrics: SelectedMetric[] = [];
  const syntaxErrors: string[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) {
        syntaxErrors.push(`syntax error at offset ${ref.from}: "${expr.slice(ref.from, ref.from + 20)}"`);
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const identifier = ref.node.getChild('Identifier');
      if (identifier) metrics.push({ name: textOf(expr, identifier), match: 'exact' });
      const matchers = ref.node.getChild('LabelMatchers');
      if (matchers) metrics.push(...namesOfMatchers(expr, matchers));
    },
  });
  return { metrics, syntaxErrors };
}
