/**
 * Turns the declared routes into express handlers: authenticate (401 with `WWW-Authenticate`),
 * authorize against the permission matrix (403), parse the input, run the handler with its
 * ApiContext, check the reply against the route's response schema, send it. A path that exists
 * with another method answers 405 with `Allow`.
 * @module
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Clock } from '@atc/contracts';
import type { Pool } from '@atc/platform';
import {
  type ApiContext,
  type ApiRoute,
  type ApiServices,
  type Authenticator,
  type Principal,
  roleAllows,
} from '../api-route';
import { markChecked, wasChecked } from './checked-bodies';
import type { HttpMetrics } from './http-metrics';
import { HttpProblem } from './problem';
import { requestIdOf, signalOf } from './request-context';
import { assertStrictSchemas, parseRouteInput, TICKET_PARAMETER } from './route-input';

export interface RouteDependencies {
  readonly authenticator: Authenticator;
  readonly pool: Pool;
  readonly clock: Clock;
  readonly services: ApiServices;
  readonly metrics: HttpMetrics;
  readonly validateResponses: boolean;
}

async function authenticate(
  route: ApiRoute,
  req: Request,
  deps: RouteDependencies,
): Promise<Principal | undefined> {
  if (route.access === 'public') return undefined;
  const ticket = route.access === 'stream.connect' ? req.query[TICKET_PARAMETER] : undefined;
  // A ticket given twice (or as a structure) is no credential: refused, never dropped in silence.
  const result =
    ticket !== undefined && typeof ticket !== 'string'
      ? ({ ok: false, reason: 'malformed' } as const)
      : await deps.authenticator.authenticate(
          { authorization: req.get('authorization'), ticket },
          route.access,
        );
  if (!result.ok) {
    deps.metrics.authFailed(result.reason);
    throw new HttpProblem(401, 'unauthenticated', 'Valid credentials are required.', undefined, {
      'WWW-Authenticate': 'Bearer realm="atc"',
    });
  }
  if (route.access !== 'heartbeat_token' && !roleAllows(result.principal.role, route.access)) {
    throw new HttpProblem(403, 'forbidden', `The role ${result.principal.role} may not ${route.access}.`);
  }
  return result.principal;
}

function routeHandler(route: ApiRoute, deps: RouteDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const principal = await authenticate(route, req, deps);
    const input = parseRouteInput(route, req);
    const context: ApiContext = {
      pool: deps.pool,
      logger: req.log,
      clock: deps.clock,
      requestId: requestIdOf(req),
      principal,
      services: deps.services,
      signal: signalOf(res),
    };
    if (route.stream) {
      // The stream answers for itself (status, headers, its own problems) for as long as the client
      // reads: no deadline, no JSON reply.
      (res.locals as { liftDeadline?: () => void }).liftDeadline?.();
      await route.stream(input, context, { request: req, response: res });
      return;
    }
    const reply = await route.handle(input, context);
    if (res.headersSent) {
      req.log.warn('reply dropped: the request had already been answered (timed out)');
      return;
    }
    const json = serializedReply(route, reply.body, deps, req);
    if (reply.headers) res.set(reply.headers);
    res.status(reply.status ?? route.successStatus ?? 200);
    if (res.statusCode === 204) res.end();
    else res.type('json').send(json);
  };
}

/**
 * A body's JSON, checked against the route's response schema when responses are validated. A body
 * object served to many requests (GET /api/status answers a window's requests with one read) is
 * checked once (checked-bodies) and serialized once: the JSON goes when the object does.
 */
const serializedBodies = new WeakMap<object, string>();

function serializedReply(route: ApiRoute, body: unknown, deps: RouteDependencies, req: Request): string {
  if (deps.validateResponses && !wasChecked(body, route.response)) {
    const checked = route.response.safeParse(body);
    if (!checked.success) {
      req.log.error(
        { issues: checked.error.issues, route: route.path },
        'reply does not match its response schema',
      );
      throw new Error(`${route.method} ${route.path}: reply does not match its response schema`);
    }
    markChecked(body, route.response);
  }
  const shared = typeof body === 'object' && body !== null ? body : undefined;
  const known = shared && serializedBodies.get(shared);
  if (known !== undefined) return known;
  const json = JSON.stringify(body);
  if (shared) serializedBodies.set(shared, json);
  return json;
}

function methodNotAllowed(methods: readonly string[]): RequestHandler {
  const allow = [
    ...new Set(methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]))),
  ].join(', ');
  return (req, _res, next) =>
    next(
      new HttpProblem(405, 'method_not_allowed', `${req.method} is not allowed here.`, undefined, {
        Allow: allow,
      }),
    );
}

/** Registers every route on `app` (paths are full, `/api/…`); refuses duplicates and lax schemas. */
export function registerRoutes(app: Express, routes: readonly ApiRoute[], deps: RouteDependencies): void {
  const byPath = new Map<string, ApiRoute[]>();
  for (const route of routes) {
    if (!route.path.startsWith('/api/'))
      throw new Error(`${route.method} ${route.path}: API paths start with /api/`);
    assertStrictSchemas(route);
    const same = byPath.get(route.path) ?? [];
    if (same.some((other) => other.method === route.method)) {
      throw new Error(`${route.method} ${route.path} is declared twice`);
    }
    byPath.set(route.path, [...same, route]);
  }
  for (const [path, sameRoutes] of byPath) {
    const chain = app.route(path);
    for (const route of sameRoutes) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      chain[method](routeHandler(route, deps));
    }
    chain.all(methodNotAllowed(sameRoutes.map((route) => route.method)));
  }
}
