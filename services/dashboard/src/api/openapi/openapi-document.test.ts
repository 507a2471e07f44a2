import { z } from 'zod';
import { IsoInstant, PageQuery, pageOf } from '@atc/contracts';
import { defineRoute, ok, type ApiRoute } from '../api-route';
import { apiRoutes } from '../routes';
import { builtInRoutes } from '../api-app';
import { docsRoutes } from '../routes/docs.routes';
import { buildOpenApiDocument, openApiPath, operationId } from './openapi-document';
import { openApi31Problems } from './openapi-structure';

const Item = z.object({ id: z.string(), amount: z.string(), at: IsoInstant, note: z.string().nullable() });

const notCalled = (): Promise<never> => Promise.reject(new Error('not called'));

/** A few routes shaped like the real areas: a paged list, a get by id, a write, the heartbeat, public. */
const testRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/things',
    access: 'read',
    summary: 'List things',
    tag: 'things',
    query: PageQuery.extend({ status: z.enum(['open', 'closed']).optional() }).strict(),
    response: pageOf(Item),
    handle: () => Promise.resolve(ok({ items: [], nextCursor: null })),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/things/:id/parts/:part',
    access: 'read',
    summary: 'One part of a thing',
    tag: 'things',
    params: z.object({ id: z.string().uuid(), part: z.string() }).strict(),
    response: Item,
    handle: notCalled,
  }),
  defineRoute({
    method: 'POST',
    path: '/api/things/:id/release',
    access: 'kill_switch.release',
    summary: 'Release a thing',
    tag: 'control',
    writes: true,
    successStatus: 201,
    params: z.object({ id: z.string() }).strict(),
    body: z.object({ reason: z.string().min(1) }).strict(),
    response: Item,
    handle: notCalled,
  }),
  defineRoute({
    method: 'GET',
    path: '/api/stream',
    access: 'stream.connect',
    summary: 'Live events',
    tag: 'stream',
    responseContentType: 'text/event-stream',
    query: z.object({ ticket: z.string().optional() }).strict(),
    response: z.object({}),
    handle: notCalled,
  }),
  defineRoute({
    method: 'POST',
    path: '/api/heartbeat',
    access: 'heartbeat_token',
    summary: 'Run one heartbeat',
    tag: 'heartbeat',
    response: z.object({ runId: z.string() }),
    handle: notCalled,
  }),
];

const allRoutes: readonly ApiRoute[] = [...testRoutes, ...docsRoutes(() => allRoutes)];
const document = buildOpenApiDocument({ routes: allRoutes, version: '9.9.9' });
const operation = (method: string, path: string) => {
  const item = document.paths?.[path] as Record<string, Record<string, unknown>> | undefined;
  const found = item?.[method];
  if (!found) throw new Error(`no operation ${method} ${path}`);
  return found;
};

describe('buildOpenApiDocument', () => {
  it('documents every route exactly once, with Express paths converted to templates', () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(allRoutes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(document.paths).toHaveProperty(['/api/things/{id}/parts/{part}']);
  });

  it('is structurally valid OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(openApi31Problems(JSON.parse(JSON.stringify(document)))).toEqual([]);
  });

  it('requires credentials on every operation but the public ones, and names the permission', () => {
    for (const route of allRoutes) {
      const op = operation(route.method.toLowerCase(), openApiPath(route.path));
      expect(op['x-atc-permission']).toBe(route.access);
      if (route.access === 'public') expect(op.security).toEqual([]);
      else expect((op.security as unknown[]).length).toBeGreaterThan(0);
    }
    const release = operation('post', '/api/things/{id}/release');
    expect(release.security).toEqual([{ bearer: [] }]);
    expect(release.description).toContain('`kill_switch.release`: role `admin`');
    expect(operation('post', '/api/heartbeat').security).toEqual([{ heartbeatToken: [] }]);
    expect(operation('get', '/api/stream').security).toEqual([{ bearer: [] }, { streamTicket: [] }]);
    expect(operation('get', '/api/openapi.json').security).toEqual([]);
    expect(operation('get', '/api/stream').responses).toMatchObject({
      200: { content: { 'text/event-stream': { schema: { type: 'object' } } } },
    });
  });

  it('documents params, query, body, the success status and the problem responses a route can give', () => {
    const release = operation('post', '/api/things/{id}/release');
    expect(Object.keys(release.responses as object).sort()).toEqual(
      ['201', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503'].sort(),
    );
    expect(release.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { required: ['reason'], additionalProperties: false } } },
    });
    const list = operation('get', '/api/things');
    expect(Object.keys(list.responses as object).sort()).toEqual(
      ['200', '400', '401', '403', '429', '500', '503'].sort(),
    );
    expect((list.parameters as { name: string; in: string }[]).map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:limit',
      'query:cursor',
      'query:status',
    ]);
    const part = operation('get', '/api/things/{id}/parts/{part}');
    expect(part.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'path', name: 'id', required: true })]),
    );
    expect(document.components?.responses?.Conflict).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    });
    expect(document.tags?.map((t) => t.name)).toEqual(['control', 'docs', 'heartbeat', 'stream', 'things']);
  });

  it('refuses a route whose params schema does not match its path, naming the route', () => {
    const bad = defineRoute({
      method: 'GET',
      path: '/api/things/:thingId',
      access: 'read',
      summary: 'x',
      tag: 'things',
      params: z.object({ id: z.string() }).strict(),
      response: Item,
      handle: notCalled,
    });
    expect(() => buildOpenApiDocument({ routes: [bad], version: '1' })).toThrow(
      'GET /api/things/:thingId: the params schema declares [id] but the path has [thingId]',
    );
    expect(() => buildOpenApiDocument({ routes: [testRoutes[0]!, testRoutes[0]!], version: '1' })).toThrow(
      'GET /api/things is defined twice',
    );
  });

  it('names operations after their method and path', () => {
    expect(operationId({ method: 'POST', path: '/api/proposals/:id/approve' })).toBe(
      'postProposalsByIdApprove',
    );
    expect(operationId({ method: 'GET', path: '/api/kill-switch' })).toBe('getKillSwitch');
  });
});

describe('the structural check', () => {
  it('finds a dangling $ref, an undeclared path parameter and a 3.0 keyword', () => {
    const broken = JSON.parse(JSON.stringify(document)) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: unknown[]; responses: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    broken.openapi = '3.0.3';
    broken.paths['/api/things/{id}/parts/{part}']!.get!.parameters = [];
    delete broken.components.schemas.ProblemDetails;
    broken.components.schemas.Extra = { type: 'string', nullable: true };
    const problems = openApi31Problems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi is "3.0.3", not 3.1.x',
        'GET /api/things/{id}/parts/{part}: path parameter {id} is not declared as required',
        '#/components/responses/BadRequest/content/application/problem+json/schema: $ref #/components/schemas/ProblemDetails does not resolve',
        '#/components/schemas/Extra: nullable is OpenAPI 3.0',
      ]),
    );
  });
});

describe('GET /api/openapi.json', () => {
  it('is registered, public, and serves the document of every registered route', async () => {
    const route = apiRoutes.find((r) => r.method === 'GET' && r.path === '/api/openapi.json');
    expect(route?.access).toBe('public');
    const reply = await route!.handle({ params: {}, query: {}, body: {} }, {} as never);
    const served = route!.response.parse(reply.body) as { paths: Record<string, unknown> };
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Every route the server answers: the stack's own GET /api/health and the declared ones.
    const servedRoutes = [...builtInRoutes, ...apiRoutes];
    expect(operations.sort()).toEqual(servedRoutes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(openApi31Problems(JSON.parse(JSON.stringify(served)))).toEqual([]);
  });
});
