/**
 * The opaque `cursor` of a paged list: the keyset position of the page's last row, base64url JSON.
 * Opaque to clients (they pass back `nextCursor` as they got it) but not secret: it holds only sort
 * keys of rows the caller has already read. A tampered or foreign cursor is a 400 naming the field.
 * @module
 */
import { z } from 'zod';
import { BigintId } from '@atc/contracts';
import { InputError } from '@atc/platform';
import type { TimeKey } from '@atc/trading';

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function invalidCursor(): InputError {
  return new InputError('query.cursor: not a cursor this list returned', {
    details: { issues: ['query.cursor: not a cursor this list returned'] },
  });
}

export function decodeCursor<Key>(cursor: string | undefined, schema: z.ZodType<Key>): Key | undefined {
  if (cursor === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

/** The key of a list ordered by (time, uuid). */
export const TimeKeyCursor: z.ZodType<TimeKey> = z
  .object({ at: z.iso.datetime({ offset: true, local: false }), id: z.uuid() })
  .strict();

/** The key of a list ordered by a bigint id (events, audit entries). */
export const IdCursor = BigintId;

export const nextCursorOf = (key: unknown): string | null => (key === undefined ? null : encodeCursor(key));
