/**
 * The operator API's OpenAPI 3.1 document, generated from the route definitions (api-route.ts): one
 * operation per route, its params, query, body and response from the same zod schemas the HTTP stack
 * validates with, the permission it needs (in its description and as `x-atc-permission`), and the
 * RFC 9457 problem responses it can give. Served at GET /api/openapi.json and committed as
 * docs/api/openapi.json (`npm run api:openapi`; `npm run api:openapi:check` fails on drift).
 * @module
 */
import {
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ProblemDetails } from '@atc/contracts';
import dashboardPackage from '../../../package.json';
import { PERMISSIONS, type ApiRoute, type RouteAccess } from '../api-route';

/** The document's type, as the generator declares it (openapi3-ts is the generator's dependency, not ours). */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;
type SecurityRequirement = Record<string, string[]>;

/**
 * info.version: the dashboard package's version, not the build's ATC_VERSION (stamped per image), so the
 * committed docs/api/openapi.json and the served document agree on every build.
 */
export const API_DOCUMENT_VERSION: string = dashboardPackage.version;

export interface OpenApiDocumentOptions {
  readonly routes: readonly ApiRoute[];
  /** info.version (API_DOCUMENT_VERSION). */
  readonly version: string;
}

/** The servers a caller can try: the dashboard that served the document, or `atc up` on this machine. */
export const OPENAPI_SERVERS = [
  { url: '/', description: 'The dashboard serving this document' },
  { url: 'http://localhost:8080', description: '`atc up` on this machine' },
] as const;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem responses an operation can give, by status, and what each one means. */
const PROBLEM_RESPONSES = {
  400: [
    'BadRequest',
    'A path parameter, query parameter or body field is invalid (`errors[]` names each one).',
  ],
  401: ['Unauthenticated', 'No credentials, or a malformed, unknown, expired or revoked key or token.'],
  403: ['Forbidden', "The caller's role lacks the permission this operation needs."],
  404: ['NotFound', 'No such resource.'],
  409: [
    'Conflict',
    'The resource is not in a state that allows this (e.g. already decided, content hash changed).',
  ],
  413: ['PayloadTooLarge', 'The body is over 64 KB.'],
  415: ['UnsupportedMediaType', 'The body is not `application/json`.'],
  429: ['TooManyRequests', 'Over the per-IP rate limit; see the `RateLimit` and `Retry-After` headers.'],
  500: ['InternalError', 'An unexpected error (logged with the request id; no details in the body).'],
  503: [
    'Unavailable',
    'A dependency is unavailable or not configured, or the server is draining; retry later.',
  ],
} as const satisfies Record<number, readonly [string, string]>;
type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

/**
 * The problem body as the component every problem response refers to. Made once: an `id` in zod's
 * metadata is registered globally, and zod refuses a second registration of the same id.
 */
const ProblemDetailsComponent = ProblemDetails.meta({ id: 'ProblemDetails' });

/** Express `/api/proposals/:id` → OpenAPI `/api/proposals/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The path's parameter names, in order. */
function pathParameterNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
}

/** `GET /api/proposals/:id/votes` → `getProposalsByIdVotes`: stable, unique per method and path. */
export function operationId(route: Pick<ApiRoute, 'method' | 'path'>): string {
  const words = route.path
    .replace(/^\/api\/?/, '')
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => (segment.startsWith(':') ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter((word) => word.length > 0);
  return [route.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

/** A route's parameter schema as the generator takes it: a zod object (strict, per the contract). */
function objectSchema(route: ApiRoute, part: 'params' | 'query'): z.ZodObject | undefined {
  const schema = route[part];
  if (schema === undefined) return undefined;
  if (!(schema instanceof z.ZodObject)) {
    throw new Error(`${route.method} ${route.path}: ${part} must be a zod object to be documented`);
  }
  return schema;
}

function checkPathParameters(route: ApiRoute, params: z.ZodObject | undefined): void {
  const declared = Object.keys(params?.shape ?? {}).sort();
  const inPath = pathParameterNames(route.path).sort();
  if (declared.join(',') !== inPath.join(',')) {
    throw new Error(
      `${route.method} ${route.path}: the params schema declares [${declared.join(', ')}] ` +
        `but the path has [${inPath.join(', ')}]`,
    );
  }
}

/** Who may call the route, as the OpenAPI security requirement (an empty list: anyone). */
function security(route: ApiRoute, query: z.ZodObject | undefined): SecurityRequirement[] {
  if (route.access === 'public') return [];
  if (route.access === 'heartbeat_token') return [{ heartbeatToken: [] }];
  // The live stream also takes a single-use ticket in the query (EventSource cannot send headers).
  const ticket = query !== undefined && 'ticket' in query.shape;
  return ticket ? [{ bearer: [] }, { streamTicket: [] }] : [{ bearer: [] }];
}

function accessSentence(access: RouteAccess): string {
  if (access === 'public') return 'Public: no authentication.';
  if (access === 'heartbeat_token') {
    return "Requires the deployment's heartbeat token (`Authorization: Bearer $HEARTBEAT_TOKEN`), not an API key.";
  }
  return `Requires the permission \`${access}\`: role \`${PERMISSIONS[access]}\` or above.`;
}

/** The problem statuses this route can answer, beyond its success. */
function problemStatuses(route: ApiRoute): ProblemStatus[] {
  const statuses: ProblemStatus[] = [400];
  if (route.access !== 'public') statuses.push(401);
  if (route.access !== 'public' && route.access !== 'heartbeat_token') statuses.push(403);
  if (pathParameterNames(route.path).length > 0) statuses.push(404);
  if (route.writes === true || route.access === 'heartbeat_token') statuses.push(409);
  if (route.body !== undefined) statuses.push(413, 415);
  statuses.push(429, 500, 503);
  return statuses;
}

const problemRef = (status: ProblemStatus): { $ref: string } => ({
  $ref: `#/components/responses/${PROBLEM_RESPONSES[status][0]}`,
});

function routeConfig(route: ApiRoute): RouteConfig {
  const params = objectSchema(route, 'params');
  const query = objectSchema(route, 'query');
  checkPathParameters(route, params);
  const success: ResponseConfig = {
    description: route.summary,
    content: { [route.responseContentType ?? 'application/json']: { schema: route.response } },
  };
  const responses: RouteConfig['responses'] = { [String(route.successStatus ?? 200)]: success };
  for (const status of problemStatuses(route)) responses[String(status)] = problemRef(status);
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: openApiPath(route.path),
    operationId: operationId(route),
    summary: route.summary,
    description: accessSentence(route.access),
    tags: [route.tag],
    security: security(route, query),
    'x-atc-permission': route.access,
    ...(route.writes === true ? { 'x-atc-audited': true } : {}),
    request: {
      ...(params ? { params } : {}),
      ...(query ? { query } : {}),
      ...(route.body !== undefined
        ? { body: { required: true, content: { 'application/json': { schema: route.body } } } }
        : {}),
    },
    responses,
  };
}

function checkUnique(routes: readonly ApiRoute[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${openApiPath(route.path)}`;
    if (seen.has(key)) throw new Error(`${key} is defined twice`);
    seen.add(key);
  }
}

/** The OpenAPI 3.1 document of `routes`. Throws, naming the route, on a route that cannot be documented. */
export function buildOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  checkUnique(options.routes);
  const registry = new OpenAPIRegistry();
  for (const [, [name, description]] of Object.entries(PROBLEM_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    });
  }
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key (`atc apikey create`, sent as `Authorization: Bearer atc_…`) or, when configured, a JWT ' +
      'whose role claim names viewer, operator or admin.',
  });
  registry.registerComponent('securitySchemes', 'streamTicket', {
    type: 'apiKey',
    in: 'query',
    name: 'ticket',
    description: 'A single-use stream ticket from POST /api/stream-tickets (valid 60 s), for EventSource.',
  });
  registry.registerComponent('securitySchemes', 'heartbeatToken', {
    type: 'http',
    scheme: 'bearer',
    description: "The deployment's HEARTBEAT_TOKEN (or HEARTBEAT_TOKEN_PREVIOUS during a rotation).",
  });
  for (const route of options.routes) registry.registerPath(routeConfig(route));
  const tags = [...new Set(options.routes.map((route) => route.tag))].sort().map((name) => ({ name }));
  return new OpenApiGeneratorV31([
    ...registry.definitions,
    { type: 'schema', schema: ProblemDetailsComponent },
  ]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'atc operator API',
      version: options.version,
      description:
        'Every operator read and action of the Autonomous Trading Company. Money and quantities are ' +
        'decimal strings, times ISO-8601. See docs/api/README.md.',
    },
    servers: OPENAPI_SERVERS.map((server) => ({ ...server })),
    tags,
    security: [{ bearer: [] }],
  });
}
