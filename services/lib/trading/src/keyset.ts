/**
 * Keyset paging for the operator's lists: a page continues strictly after the last row of the page
 * before, by a unique, immutable sort key, so rows inserted between two page reads cause neither a
 * duplicate nor a gap (an offset would do both).
 * @module
 */

/**
 * A position in a list ordered by (time, id). `at` is the row's timestamptz as PostgreSQL writes it in
 * JSON (microseconds kept: a JS Date would round them away and repeat or skip rows).
 */
export interface TimeKey {
  readonly at: string;
  readonly id: string;
}

/** A page of rows and the key after which the next page starts (undefined on the last page). */
export interface KeysetPage<Row, Key> {
  readonly rows: Row[];
  readonly next: Key | undefined;
}

/**
 * Reads one row more than asked to learn whether another page follows; `keyOf` gives the key of the
 * last row returned.
 */
export function keysetPage<Row, Key>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => Key,
): KeysetPage<Row, Key> {
  if (rows.length <= limit) return { rows, next: undefined };
  const page = rows.slice(0, limit);
  return { rows: page, next: keyOf(page[page.length - 1]!) };
}

/** What a paged query takes: the page size, and the key of the previous page's last row. */
export interface KeysetRequest<Key> {
  readonly limit: number;
  readonly after?: Key | undefined;
}

/**
 * A page of rows ordered by (time, id), each carrying its time in `sortKey` (timestamptz as JSON
 * writes it: `to_json(t) #>> '{}'`), which the page's rows leave out.
 */
export function timeKeyedPage<Row extends { readonly sortKey: string; readonly id: string }>(
  rows: Row[],
  limit: number,
): KeysetPage<Omit<Row, 'sortKey'>, TimeKey> {
  const page = keysetPage(rows, limit, (row) => ({ at: row.sortKey, id: row.id }));
  return { rows: page.rows.map(({ sortKey: _sortKey, ...row }) => row), next: page.next };
}
