/**
 * The operator API's shared shapes (services/dashboard serves them; the web app reads them): roles,
 * cursor paging, RFC 9457 problem details. Each area's request and response schemas live beside this
 * file (`api/<area>.ts`), so the OpenAPI document, the server's validation and the web app's types
 * come from one definition.
 * @module
 */
import { z } from 'zod';

/** Least to most: a viewer reads everything; an operator also acts; an admin also administers. */
export const apiRoles = ['viewer', 'operator', 'admin'] as const;
export const ApiRole = z.enum(apiRoles);
export type ApiRole = z.infer<typeof ApiRole>;

export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=`: at most 200 items a page (50 by default); the cursor is opaque, from `nextCursor`. */
export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of items; `nextCursor` is null on the last page. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** One invalid field of a request: where (`path`, e.g. `body.trades.0.amount`) and why. */
export const ProblemField = z.object({ path: z.string(), message: z.string() });

/** RFC 9457 problem details (`application/problem+json`); `errors` names each invalid field. */
export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(ProblemField).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;

/** ISO-8601 instants on the wire. */
export const IsoInstant = z.iso.datetime({ offset: true });
