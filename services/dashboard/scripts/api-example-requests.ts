/**
 * What `npm run api:examples` sends to each route. A route without path parameters or a body is called
 * as it is, by the least role its permission needs; a route with either needs an entry here (the
 * generator stops, naming it, otherwise). Entries run first, in this order, so a write (submitting a
 * proposal) makes the data that later reads show; `from` reads an earlier response.
 * @module
 */
import type { ApiRole } from '@atc/contracts';

export interface ExampleContext {
  /** The JSON body an earlier example (by `METHOD path`) answered. */
  from(route: string): unknown;
}

export interface ExampleRequest {
  /** `METHOD path` exactly as the route declares it. */
  readonly route: string;
  /** The role whose key sends it (default: the least role the route's permission needs). */
  readonly role?: ApiRole;
  readonly params?: (context: ExampleContext) => Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: (context: ExampleContext) => unknown;
}

/** A field of an earlier answer, e.g. `field(context.from('POST /api/proposals'), 'id')`. */
export function field(value: unknown, name: string): string {
  if (typeof value === 'object' && value !== null && name in value) {
    return String((value as Record<string, unknown>)[name]);
  }
  throw new Error(`the earlier example's answer has no field ${name}`);
}

/** Added as the areas' routes land (their engineers and the lead know the seeded data they need). */
export const EXAMPLE_REQUESTS: readonly ExampleRequest[] = [];
