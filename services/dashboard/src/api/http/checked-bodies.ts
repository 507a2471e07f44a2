/**
 * Bodies already parsed by a response schema: a handler that builds its reply with the route's own
 * response schema (`toWire`) marks it, and the HTTP stack's response check (on outside production)
 * does not parse the same object with the same schema a second time.
 * @module
 */
import type { z } from 'zod';

const checkedBodies = new WeakMap<object, z.ZodType>();

/** Records that `body` is the output of `schema.parse`; returns it. */
export function markChecked<Body>(body: Body, schema: z.ZodType): Body {
  if (typeof body === 'object' && body !== null) checkedBodies.set(body, schema);
  return body;
}

/** Whether `body` is, unchanged, what `schema` parsed (the same object and the same schema). */
export function wasChecked(body: unknown, schema: z.ZodType): boolean {
  return typeof body === 'object' && body !== null && checkedBodies.get(body) === schema;
}
