/**
 * Keyset paging for the operator's lists: newest first by (time, id), the cursor the last row's key
 * encoded as base64url JSON. A keyset, not an offset: rows inserted between two page reads are newer
 * than the cursor, so the next page neither repeats nor skips a row.
 * @module
 */
import { InputError } from '@atc/platform';

/** The last row's sort key: its time as PostgreSQL prints timestamptz (microseconds kept) and its id. */
export interface PageKey {
  readonly at: string;
  readonly id: string;
}

export interface Page<Item> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

/** What a paged query takes: the page size and where the previous page ended. */
export interface PageRequest {
  readonly limit: number;
  readonly after?: PageKey | undefined;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodePageCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');
}

/** The key a cursor carries; a cursor this API did not make is an InputError naming `cursor`. */
export function decodePageCursor(cursor: string | undefined): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 2 &&
    typeof decoded[0] === 'string' &&
    typeof decoded[1] === 'string' &&
    TIMESTAMP.test(decoded[0]) &&
    UUID.test(decoded[1])
  ) {
    return { at: decoded[0], id: decoded[1] };
  }
  const message = 'cursor: not a cursor from this API (pass nextCursor of the previous page)';
  throw new InputError(message, { details: { issues: [message], field: 'cursor' } });
}

/**
 * A page from rows fetched with `limit + 1` (the extra row says whether there is a next page); each
 * row carries its key in `pageAt` (timestamptz as text) and `id`, which the items leave out.
 */
export function pageFromRows<Row extends { readonly pageAt: string; readonly id: string }>(
  rows: readonly Row[],
  limit: number,
): Page<Omit<Row, 'pageAt'>> {
  const items = rows.slice(0, limit).map(({ pageAt: _key, ...item }) => item);
  const last = rows[limit - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodePageCursor({ at: last.pageAt, id: last.id }) : null,
  };
}
