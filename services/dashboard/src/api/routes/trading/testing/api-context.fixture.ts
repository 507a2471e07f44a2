/**
 * An ApiContext for calling a route's `handle` directly against the test database (the HTTP stack is
 * tested on its own): a fixed clock, a named principal, no injected services unless given.
 * @module
 */
import type { Pool } from 'pg';
import type { z } from 'zod';
import { fixedClock, type ApiRole } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import type { ApiContext, ApiRoute, ApiServices } from '../../../api-route';

export function apiContext(
  pool: Pool,
  options: { at: Date; name?: string; role?: ApiRole; services?: ApiServices },
): ApiContext {
  return {
    pool,
    logger: silentLogger(),
    clock: fixedClock(options.at),
    requestId: 'test-request',
    principal: { kind: 'api_key', name: options.name ?? 'test-operator', role: options.role ?? 'operator' },
    services: options.services ?? {},
    signal: new AbortController().signal,
  };
}

/**
 * Calls a route as the HTTP stack would: the input parsed by the route's own schemas (defaults
 * applied, unknown keys refused), the answer's body parsed by its response schema.
 */
export async function callRoute<Route extends ApiRoute>(
  route: Route,
  input: { params?: unknown; query?: unknown; body?: unknown },
  context: ApiContext,
): Promise<{ status: number; body: z.infer<Route['response']> }> {
  const reply = await route.handle(
    {
      params: route.params ? route.params.parse(input.params ?? {}) : undefined,
      query: route.query ? route.query.parse(input.query ?? {}) : undefined,
      body: route.body ? route.body.parse(input.body) : undefined,
    },
    context,
  );
  // `route.response` is the route's own schema; TypeScript sees only the ApiRoute constraint's ZodType.
  const body = route.response.parse(reply.body) as z.infer<Route['response']>;
  return { status: reply.status ?? 200, body };
}
