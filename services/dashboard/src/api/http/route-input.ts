/**
 * A request's params, query and body parsed with its route's zod schemas. Every part is first held
 * to the contracts' JSON limits (no NUL, no lone surrogate, bounded depth), so nothing PostgreSQL
 * would choke on reaches a handler; every bad field of every part is reported at once.
 * @module
 */
import type { Request } from 'express';
import { z } from 'zod';
import { findUnsafeJson } from '@atc/contracts';
import type { ApiRoute } from '../api-route';
import { fieldsFromZod, HttpProblem, invalidRequest, type ProblemField } from './problem';

export interface RouteInput {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

/** The query parameter a stream ticket travels in; taken by the stack, never seen by a route's schema. */
export const TICKET_PARAMETER = 'ticket';

/** The query of `req`, without the stream ticket on a route that accepts one. */
export function routeQuery(route: ApiRoute, req: Request): Record<string, unknown> {
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  if (route.access === 'stream.connect') delete query[TICKET_PARAMETER];
  return query;
}

function isJson(req: Request): boolean {
  return req.is(['application/json', 'application/*+json']) !== false;
}

/** The request's JSON body: undefined when there is none; refused when the route takes none. */
function readBody(route: ApiRoute, req: Request): unknown {
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  if (route.body === undefined)
    throw invalidRequest([{ path: 'body', message: 'this route takes no request body' }]);
  if (!isJson(req)) {
    throw new HttpProblem(415, 'unsupported_media_type', 'The body must be JSON.', [
      { path: 'headers.content-type', message: 'must be application/json' },
    ]);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw invalidRequest([{ path: 'body', message: 'is not valid JSON' }]);
  }
}

function parsePart(
  prefix: string,
  schema: z.ZodType | undefined,
  value: unknown,
  errors: ProblemField[],
): unknown {
  const unsafe = findUnsafeJson(value);
  if (unsafe) {
    const path = unsafe.path.length === 0 ? prefix : [prefix, ...unsafe.path.map(String)].join('.');
    errors.push({ path, message: unsafe.message });
    return undefined;
  }
  if (schema === undefined) {
    // No schema: nothing is accepted (a body was refused in readBody already).
    const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
    for (const key of keys) errors.push({ path: `${prefix}.${key}`, message: 'is not a known parameter' });
    return {};
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  errors.push(...fieldsFromZod(prefix, parsed.error));
  return undefined;
}

/** Parses every part of the request or throws one 400 (or 415) naming each bad field. */
export function parseRouteInput(route: ApiRoute, req: Request): RouteInput {
  const body = readBody(route, req);
  const errors: ProblemField[] = [];
  const params = parsePart('params', route.params, route.params ? { ...req.params } : {}, errors);
  const query = parsePart('query', route.query, routeQuery(route, req), errors);
  const parsedBody = route.body === undefined ? undefined : parsePart('body', route.body, body, errors);
  if (errors.length > 0) throw invalidRequest(errors);
  return { params, query, body: parsedBody };
}

function isStrictObject(schema: z.ZodType): boolean {
  if (!(schema instanceof z.ZodObject)) return true;
  const catchall = schema.def.catchall;
  return catchall !== undefined && catchall instanceof z.ZodNever;
}

/** Refuses at start-up a route whose params, query or body object would let unknown keys through. */
export function assertStrictSchemas(route: ApiRoute): void {
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = route[part];
    if (schema !== undefined && !isStrictObject(schema)) {
      throw new Error(
        `${route.method} ${route.path}: the ${part} schema must be a strict object (z.strictObject)`,
      );
    }
  }
}
