/**
 * Small helpers for the wire quirks several clients share.
 * @module
 */
import { HttpStatusError, OutcomeUnknownError, VenueResponseError } from '@atc/platform';
import { z } from 'zod';
import { VenueRejectedError } from './venue';

export interface WireSource {
  readonly venue: string;
  readonly endpoint: string;
  /** An order submission: a body we cannot read leaves the outcome unknown, never "rejected". */
  readonly submission?: boolean;
}

/** `quotes.quote[0].bid`, or `(body)` for the root. */
function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

type Issue = z.core.$ZodIssue;

/**
 * How far a union branch got into the body. A branch that failed on a literal or a refinement
 * (`type: "text"` where the body says `tool_use`) was the wrong alternative, so it ranks below a
 * branch of the same depth that failed on a missing or mistyped field.
 */
function reach(issues: readonly Issue[]): number {
  const depth = Math.max(0, ...issues.map((issue) => issue.path.length));
  const wrongAlternative = issues.some((issue) => issue.code === 'invalid_value' || issue.code === 'custom');
  return depth * 2 + (wrongAlternative ? 0 : 1);
}

/**
 * `path: message` for one issue. A union (Tradier's "one, several or null") reports its own path
 * only, so the branch that got furthest into the body stands for it: its field paths are the ones
 * a reader can act on.
 */
function describeIssue(issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = issue.errors.reduce((found, branch) => (reach(branch) > reach(found) ? branch : found));
    if (best.some((inner) => inner.path.length > 0))
      return best.flatMap((inner) => describeIssue(inner, path));
  }
  return [`${pathOf(path)}: ${issue.message}`];
}

/**
 * Every venue response goes through this before use: the body parsed with the endpoint's schema,
 * or a `VenueResponseError` naming each bad field path (wrapped in `OutcomeUnknownError` for a
 * submission, so the order is looked up rather than taken as refused).
 */
export function parseWire<S extends z.ZodType>(schema: S, body: unknown, source: WireSource): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((issue) => describeIssue(issue, []));
  const error = new VenueResponseError(source.venue, source.endpoint, issues);
  if (source.submission) throw new OutcomeUnknownError(source.venue, source.endpoint, { cause: error });
  throw error;
}

/** Tradier's XML-born collection of one item, several, or the string "null" when empty. */
export function wireList<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), item, z.literal('null'), z.null()]).optional();
}

/** Tradier's XML-born collections: an array, a single object, or the string "null" when empty. */
export function asArray<T>(value: T | T[] | 'null' | null | undefined): T[] {
  if (value === undefined || value === null || value === 'null') return [];
  return Array.isArray(value) ? value : [value];
}

/** Maps a business 4xx from the resilient HTTP layer to a rejection; anything else passes through. */
export async function rejectOn4xx<T>(
  venue: string,
  call: () => Promise<T>,
  reason: (body: string) => string,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpStatusError && error.isBusinessRejection) {
      throw new VenueRejectedError(venue, reason(error.body), { cause: error });
    }
    throw error;
  }
}

export function parseJsonOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
