/**
 * `npm run api:examples`: runs the real API application (createApiApp) against a fresh embedded
 * PostgreSQL, migrated and seeded, calls every route of `apiRoutes` with real API keys, and writes
 * each request as a curl command and its real response into the examples section of
 * docs/api/README.md. Nothing is invented: a route that cannot be called stops the generator.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Pool } from 'pg';
import { format, resolveConfig } from 'prettier';
import { type ApiRole, systemClock } from '@atc/contracts';
import { ATC_VERSION, createLogger, createMetricsRegistry, startScratchDatabase } from '@atc/platform';
import { applySeeds } from '@atc/trading';
import { PERMISSIONS, type ApiRoute } from '../src/api/api-route';
import { apiHealthRoute } from '../src/api/http/api-health.route';
import { replaceSection } from '../src/api/openapi/api-docs-sections';
import { apiRoutes } from '../src/api/routes';
import { firstFrames, MAX_SHOWN_DEPTH, shortened } from './api-example-format';
import { createEventStream } from '../src/api/stream/create-event-stream';
import { EXAMPLE_REQUESTS, type ExampleContext, type ExampleRequest } from './api-example-requests';
import { createApiKey, createAuthenticator, startApiApp } from './api-seams';

const README_FILE = path.resolve(__dirname, '../../../docs/api/README.md');
/** The base URL the examples show (the running server's ephemeral port is not interesting). */
const SHOWN_BASE_URL = 'http://localhost:8080';
const logger = createLogger({
  service: 'api-examples',
  version: ATC_VERSION,
  level: 'warn',
  format: 'pretty',
});

const STREAM_CONFIG = {
  SSE_MAX_CLIENTS: 10,
  SSE_MAX_BUFFERED_EVENTS: 1_000,
  SSE_KEEPALIVE_MS: 15_000,
  SSE_RETRY_MS: 3_000,
};

/** What the server answers, as the OpenAPI document lists it: the routes and the stack's GET /api/health. */
const DOCUMENTED_ROUTES: readonly ApiRoute[] = [apiHealthRoute, ...apiRoutes];

const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

interface Example {
  readonly route: ApiRoute;
  readonly curl: string;
  readonly status: number;
  readonly body: string;
  /** `json`, or `text` for a stream's first frames. */
  readonly language: 'json' | 'text';
}

/** The credentials the examples send: one key per role and the heartbeat token. */
interface Credentials {
  readonly keys: Readonly<Record<ApiRole, string>>;
  readonly heartbeatToken: string;
}

function leastRole(route: ApiRoute): ApiRole | undefined {
  if (route.access === 'public' || route.access === 'heartbeat_token') return undefined;
  return PERMISSIONS[route.access];
}

/** Every route's request: the table's entries first, in order, then a plain call for the others. */
function plan(routes: readonly ApiRoute[]): { route: ApiRoute; request: ExampleRequest }[] {
  const byKey = new Map(routes.map((route) => [routeKey(route), route]));
  const planned = EXAMPLE_REQUESTS.map((request) => {
    const route = byKey.get(request.route);
    if (!route) throw new Error(`api-example-requests.ts names ${request.route}, which is not a route`);
    return { route, request };
  });
  for (const route of routes) {
    if (planned.some((p) => p.route === route)) continue;
    if (route.params !== undefined || route.body !== undefined || route.access === 'heartbeat_token') {
      throw new Error(`${routeKey(route)} needs an entry in api-example-requests.ts (parameters or a body)`);
    }
    planned.push({ route, request: { route: routeKey(route) } });
  }
  return planned;
}

function curlCommand(
  method: string,
  url: string,
  credential: string | undefined,
  body: unknown,
  stream: boolean,
): string {
  const lines = [`curl -sS${stream ? ' -N' : ''} -X ${method} '${url}'`];
  if (credential) lines.push(`  -H "Authorization: Bearer $${credential}"`);
  if (body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`, `  -d '${JSON.stringify(body)}'`);
  }
  return lines.join(' \\\n');
}

async function call(
  baseUrl: string,
  credentials: Credentials,
  step: { route: ApiRoute; request: ExampleRequest },
  context: ExampleContext,
): Promise<{ example: Example; json: unknown }> {
  const { route, request } = step;
  const params = request.params?.(context) ?? {};
  const pathname = route.path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${routeKey(route)}: no example value for :${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(request.query ?? {}).toString();
  const target = `${pathname}${search ? `?${search}` : ''}`;
  const role = request.heartbeatToken ? undefined : (request.role ?? leastRole(route));
  const secret = request.heartbeatToken ? credentials.heartbeatToken : role && credentials.keys[role];
  const shownSecret = request.heartbeatToken ? 'HEARTBEAT_TOKEN' : role && `ATC_${role.toUpperCase()}_KEY`;
  const body = request.body?.(context);
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}${target}`, {
    method: route.method,
    headers: {
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: abort.signal,
  });
  const stream = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
  const text = stream ? await firstFrames(response, abort) : await response.text();
  if (response.status >= 500 && response.status !== request.expectedServerError) {
    throw new Error(`${routeKey(route)} answered ${response.status}: ${text}`);
  }
  const json: unknown = stream || text.length === 0 ? null : JSON.parse(text);
  const example: Example = {
    route,
    curl: curlCommand(route.method, `${SHOWN_BASE_URL}${target}`, shownSecret, body, stream),
    status: response.status,
    body: stream ? text : JSON.stringify(shortened(json, request.shownDepth ?? MAX_SHOWN_DEPTH), null, 2),
    language: stream ? 'text' : 'json',
  };
  return { example, json };
}

function markdown(examples: readonly Example[]): string {
  return examples
    .map((e) =>
      [
        `### \`${routeKey(e.route)}\``,
        '',
        e.route.summary,
        '',
        '```sh',
        e.curl,
        '```',
        '',
        `HTTP ${e.status}`,
        '',
        `\`\`\`${e.language}`,
        e.body,
        '```',
      ].join('\n'),
    )
    .join('\n\n');
}

async function generate(pool: Pool, databaseUrl: string): Promise<Example[]> {
  const clock = systemClock;
  const expiresAt = new Date(clock.now().getTime() + 3_600_000);
  const keys = {} as Record<ApiRole, string>;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    keys[role] = await createApiKey(pool, {
      name: `examples-${role}`,
      role,
      expiresAt,
      actor: 'api-examples',
    });
  }
  const heartbeatToken = randomBytes(24).toString('base64url');
  const registry = createMetricsRegistry({ service: 'api-examples', version: ATC_VERSION });
  const eventStream = createEventStream({ pool, databaseUrl, registry, logger, config: STREAM_CONFIG });
  const api = await startApiApp({
    routes: apiRoutes,
    authenticator: await createAuthenticator({ pool, clock, logger, heartbeatTokens: [heartbeatToken] }),
    pool,
    logger,
    clock,
    // No heartbeat runner: the dashboard package does not run the heartbeat (the atc binary does).
    services: { eventStream },
    registry,
    http: {},
  });
  try {
    const answers = new Map<string, unknown>();
    const context: ExampleContext = {
      from(route) {
        if (!answers.has(route)) throw new Error(`no earlier example answered ${route}`);
        return answers.get(route);
      },
    };
    const examples: Example[] = [];
    for (const step of plan(DOCUMENTED_ROUTES)) {
      const { example, json } = await call(api.url, { keys, heartbeatToken }, step, context);
      answers.set(routeKey(step.route), json);
      examples.push(example);
    }
    return examples;
  } finally {
    await eventStream.hub.stop();
    await api.close();
  }
}

async function main(): Promise<void> {
  plan(DOCUMENTED_ROUTES); // fail before starting PostgreSQL when a route has no example request
  const database = await startScratchDatabase({ name: 'atc_api_examples', logger, from: __dirname });
  try {
    const pool = database.pool({ max: 5, label: 'examples' });
    await applySeeds(pool);
    const examples = await generate(pool, database.url);
    const readme = replaceSection(readFileSync(README_FILE, 'utf8'), 'examples', markdown(examples));
    const options = await resolveConfig(README_FILE);
    writeFileSync(README_FILE, await format(readme, { ...options, filepath: README_FILE }));
    process.stdout.write(`wrote ${examples.length} examples into docs/api/README.md\n`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'api:examples failed');
  process.exit(1);
});
