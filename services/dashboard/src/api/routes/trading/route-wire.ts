/**
 * What the trading routes share: the wire form of a domain value (Dates become ISO-8601 strings, as
 * JSON carries them, then parsed by the route's response schema so the handler returns exactly the
 * documented shape), the keyset page request of a query, and the caller's name for the audit log.
 * @module
 */
import type { z } from 'zod';
import type { KeysetPage, KeysetRequest, TimeKey } from '@atc/trading';
import type { ApiContext } from '../../api-route';
import { markChecked } from '../../http/checked-bodies';
import { decodeCursor, nextCursorOf, TimeKeyCursor } from '../page-cursor';

/** `value` as JSON would carry it, checked against `schema`. */
export function toWire<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  return markChecked(schema.parse(JSON.parse(JSON.stringify(value))), schema);
}

/** The page a `?limit=&cursor=` query asks for. */
export function pageRequestOf(query: {
  readonly limit: number;
  readonly cursor?: string | undefined;
}): KeysetRequest<TimeKey> {
  return { limit: query.limit, after: decodeCursor(query.cursor, TimeKeyCursor) };
}

/** A page on the wire: its items and the opaque cursor of the next page (null on the last). */
export function wirePage<Row>(page: KeysetPage<Row, TimeKey>): { items: Row[]; nextCursor: string | null } {
  return { items: page.rows, nextCursor: nextCursorOf(page.next) };
}

/** The authenticated caller's name: the decision's approver and the audit log's actor. */
export function actorOf(context: ApiContext): string {
  // The HTTP stack authenticates every route that is not public: no principal here is its bug.
  if (!context.principal) throw new Error('a protected route was reached without a principal');
  return context.principal.name;
}
