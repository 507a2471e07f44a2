import type { QueryResultRow } from 'pg';
import type { Queryable } from '@atc/platform';

/**
 * Runs a hot-path statement as a named prepared statement: each connection parses and plans it once
 * instead of on every call, which is most of the server's work for the small statements of intake
 * (a burst of proposals runs each of them hundreds of times a second).
 */
export async function runPrepared<Row extends QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<Row[]> {
  const result = await db.query<Row>({ name: `atc.${name}`, text, values: values as unknown[] });
  return result.rows;
}
