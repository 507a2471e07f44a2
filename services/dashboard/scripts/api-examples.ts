/**
 * `npm run api:examples`: runs the real API application (createApiApp) against a fresh embedded
 * PostgreSQL, migrated and seeded, calls every route of `apiRoutes` with real API keys, and writes
 * each request as a curl command and its real response into the examples section of
 * docs/api/README.md. Nothing is invented: a route that cannot be called stops the generator.
 * @module
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { format, resolveConfig } from 'prettier';
import { type ApiRole, systemClock } from '@atc/contracts';
import {
  ATC_VERSION,
  createLogger,
  createMetricsRegistry,
  findMigrationsDirectory,
  handlePoolErrors,
  makeScratchDirectory,
  Migrator,
  startLocalPostgres,
  withDatabase,
} from '@atc/platform';
import { applySeeds } from '@atc/trading';
import { PERMISSIONS, type ApiRoute } from '../src/api/api-route';
import { replaceSection } from '../src/api/openapi/api-docs-sections';
import { apiRoutes } from '../src/api/routes';
import { EXAMPLE_REQUESTS, type ExampleContext, type ExampleRequest } from './api-example-requests';
import { createApiKey, createAuthenticator, startApiApp } from './api-seams';

const README_FILE = path.resolve(__dirname, '../../../docs/api/README.md');
/** The base URL the examples show (the running server's ephemeral port is not interesting). */
const SHOWN_BASE_URL = 'http://localhost:8080';
const MAX_SHOWN_ITEMS = 3;
const logger = createLogger({
  service: 'api-examples',
  version: ATC_VERSION,
  level: 'warn',
  format: 'pretty',
});

const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

interface Example {
  readonly route: ApiRoute;
  readonly curl: string;
  readonly status: number;
  readonly body: string;
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

/** Long lists shortened for reading: the first items of every `items` array, and how many were left out. */
function shortened(value: unknown): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_SHOWN_ITEMS).map(shortened);
    return value.length > MAX_SHOWN_ITEMS ? [...shown, `… ${value.length - MAX_SHOWN_ITEMS} more`] : shown;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortened(v)]));
  }
  return value;
}

function curlCommand(method: string, url: string, role: ApiRole | undefined, body: unknown): string {
  const lines = [`curl -sS -X ${method} '${url}'`];
  if (role) lines.push(`  -H "Authorization: Bearer $ATC_${role.toUpperCase()}_KEY"`);
  if (body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`, `  -d '${JSON.stringify(body)}'`);
  }
  return lines.join(' \\\n');
}

async function call(
  baseUrl: string,
  keys: Readonly<Record<ApiRole, string>>,
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
  const role = request.role ?? leastRole(route);
  const body = request.body?.(context);
  const response = await fetch(`${baseUrl}${target}`, {
    method: route.method,
    headers: {
      ...(role ? { authorization: `Bearer ${keys[role]}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 500) throw new Error(`${routeKey(route)} answered ${response.status}: ${text}`);
  const json: unknown = text.length > 0 ? JSON.parse(text) : null;
  const example: Example = {
    route,
    curl: curlCommand(route.method, `${SHOWN_BASE_URL}${target}`, role, body),
    status: response.status,
    body: JSON.stringify(shortened(json), null, 2),
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
        '```json',
        e.body,
        '```',
      ].join('\n'),
    )
    .join('\n\n');
}

async function generate(pool: Pool): Promise<Example[]> {
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
  const api = await startApiApp({
    routes: apiRoutes,
    authenticator: await createAuthenticator({ pool, clock, logger }),
    pool,
    logger,
    clock,
    services: {},
    registry: createMetricsRegistry({ service: 'api-examples', version: ATC_VERSION }),
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
    for (const step of plan(apiRoutes)) {
      const { example, json } = await call(api.url, keys, step, context);
      answers.set(routeKey(step.route), json);
      examples.push(example);
    }
    return examples;
  } finally {
    await api.close();
  }
}

async function main(): Promise<void> {
  plan(apiRoutes); // fail before starting PostgreSQL when a route has no example request
  const scratch = makeScratchDirectory('atc-api-examples-');
  const server = await startLocalPostgres({
    dataDirectory: path.join(scratch, 'data'),
    persistent: false,
    durable: false,
  });
  try {
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database atc_api_examples');
    await admin.end();
    const pool = handlePoolErrors(
      new Pool({ connectionString: withDatabase(server.url, 'atc_api_examples'), max: 5 }),
      logger,
      'examples',
    );
    try {
      await new Migrator({ pool, directory: findMigrationsDirectory(__dirname), logger }).up();
      await applySeeds(pool);
      const examples = await generate(pool);
      const readme = replaceSection(readFileSync(README_FILE, 'utf8'), 'examples', markdown(examples));
      const options = await resolveConfig(README_FILE);
      writeFileSync(README_FILE, await format(readme, { ...options, filepath: README_FILE }));
      process.stdout.write(`wrote ${examples.length} examples into docs/api/README.md\n`);
    } finally {
      await pool.end();
    }
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'api:examples failed');
  process.exit(1);
});
