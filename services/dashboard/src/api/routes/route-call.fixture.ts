/**
 * Calls a route's handler the way the HTTP stack will, without HTTP: the raw params, query and body
 * go through the route's own zod schemas first (a refusal throws the ZodError), and the reply's body
 * must parse with the route's `response` schema. For the routes' integration tests until the HTTP
 * stack's matrix and fuzz tests cover them end to end.
 * @module
 */
import type { Pool } from 'pg';
import { fixedClock, type ApiRole, type Clock } from '@atc/contracts';
import { captureLogger } from '@atc/platform/testing';
import type { ApiContext, ApiReply, ApiRoute, Principal } from '../api-route';

export const TEST_NOW = '2026-12-07T15:00:00.000Z';

export function routeContext(
  pool: Pool,
  options: { role?: ApiRole; name?: string; clock?: Clock } = {},
): ApiContext {
  const principal: Principal = {
    kind: 'api_key',
    name: options.name ?? `${options.role ?? 'admin'}-key`,
    role: options.role ?? 'admin',
  };
  return {
    pool,
    logger: captureLogger().logger,
    clock: options.clock ?? fixedClock(TEST_NOW),
    requestId: 'test-request',
    principal,
    services: {},
    signal: new AbortController().signal,
  };
}

/** The route registered as `METHOD /path` in `routes`; throws when there is none. */
export function routeOf(routes: readonly ApiRoute[], signature: string): ApiRoute {
  const route = routes.find((r) => `${r.method} ${r.path}` === signature);
  if (!route) throw new Error(`no route ${signature}`);
  return route;
}

export interface RawRequest {
  readonly params?: unknown;
  readonly query?: unknown;
  readonly body?: unknown;
}

/** Validates the request with the route's schemas, runs the handler, validates the reply's body. */
export async function callRoute(
  route: ApiRoute,
  request: RawRequest,
  context: ApiContext,
): Promise<ApiReply<unknown>> {
  const input = {
    params: route.params ? route.params.parse(request.params ?? {}) : {},
    query: route.query ? route.query.parse(request.query ?? {}) : {},
    body: route.body ? route.body.parse(request.body ?? {}) : undefined,
  };
  const reply = await route.handle(input, context);
  return { ...reply, body: route.response.parse(reply.body) };
}
