/**
 * The plans of a domain read's statements, for the index-backed tests and the benches: record the
 * statements a read sends (through a Queryable that passes them on), then EXPLAIN each one.
 * @module
 */
import type { QueryConfig } from 'pg';
import type { Queryable } from '@atc/platform';

export interface RecordedStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A Queryable that runs every statement on `db` and records its text and values. */
export function recordingQueryable(db: Queryable): { db: Queryable; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const recorder = {
    query(config: string | QueryConfig, values?: unknown[]) {
      const text = typeof config === 'string' ? config : config.text;
      statements.push({ text, values: (typeof config === 'string' ? values : config.values) ?? [] });
      return (db.query as (config: string | QueryConfig, values?: unknown[]) => Promise<unknown>)(
        config,
        values,
      );
    },
  };
  // Only `query` is ever called on a Queryable by the domain reads.
  return { db: recorder as unknown as Queryable, statements };
}

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Total Cost'?: number;
  readonly Plans?: readonly PlanNode[];
}

export async function explainStatement(db: Queryable, statement: RecordedStatement): Promise<PlanNode> {
  const { rows } = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
    `explain (format json) ${statement.text}`,
    statement.values as unknown[],
  );
  return rows[0]!['QUERY PLAN'][0]!.Plan;
}

/** Every node of a plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

/** The tables a plan reads with a sequential scan. */
export function sequentiallyScanned(plan: PlanNode): string[] {
  return planNodes(plan)
    .filter((node) => node['Node Type'] === 'Seq Scan')
    .map((node) => node['Relation Name'] ?? '?');
}
