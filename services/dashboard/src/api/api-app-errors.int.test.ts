import { z } from 'zod';
import { InputError } from '@atc/platform';
import {
  captureLogger,
  type CapturedLogger,
  createTestDatabase,
  type TestDatabase,
} from '@atc/platform/testing';
import { defineRoute, ok } from './api-route';
import { createScratchTable, scratchRoutes } from './testing/scratch-routes';
import { bearer, type RunningApi, startApi } from './testing/test-api';

const seenAborts: AbortSignal[] = [];
const extraRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/scratch/slow',
    access: 'read',
    summary: 'Waits until its request is aborted.',
    tag: 'scratch',
    response: z.strictObject({}),
    handle: async (_input, context) => {
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
      seenAborts.push(context.signal);
      return ok({});
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/scratch/broken-reply',
    access: 'read',
    summary: 'Replies with a body its schema refuses.',
    tag: 'scratch',
    response: z.strictObject({ count: z.number() }),
    handle: () => Promise.resolve(ok({ count: 'many' } as unknown as { count: number })),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/scratch/fails/:kind',
    access: 'read',
    summary: 'Throws an error of the given kind.',
    tag: 'scratch',
    params: z.strictObject({ kind: z.enum(['input', 'bug']) }),
    response: z.strictObject({}),
    handle: ({ params }, context) => {
      context.logger.info('about to fail');
      if (params.kind === 'input') {
        throw new InputError('invalid trade: trades.0.amount: must be positive', {
          details: { issues: ['trades.0.amount: must be positive'] },
        });
      }
      throw new Error('secret internal detail at /srv/app/x.ts:12:3');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/scratch/stream',
    access: 'stream.connect',
    summary: 'Stands in for the live stream (a ticket in the query).',
    tag: 'scratch',
    response: z.strictObject({ who: z.string() }),
    handle: (_input, context) => Promise.resolve(ok({ who: context.principal?.name ?? '' })),
  }),
];

describe('the API stack: problems, authentication, deadline, request ids and logs', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let logs: CapturedLogger;
  beforeAll(async () => {
    db = await createTestDatabase();
    await createScratchTable(db.pool);
    logs = captureLogger('debug');
    api = await startApi({
      routes: [...scratchRoutes, ...extraRoutes],
      pool: db.pool,
      logger: logs.logger,
      http: { requestTimeoutMs: 300 },
    });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api.baseUrl}${path}`, { ...init, headers: { ...bearer('admin'), ...(init.headers as object) } });
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    call('/api/scratch/orders', { method: 'POST', body, headers });

  async function expectProblem(res: Response, status: number, field?: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+/);
    const body = JSON.parse(text) as {
      status: number;
      title: string;
      type: string;
      requestId: string;
      errors?: { path: string }[];
    };
    expect(body).toMatchObject({ status, requestId: res.headers.get('x-request-id') });
    expect(body.type).toMatch(/^urn:atc:problem:/);
    expect(body.title.length).toBeGreaterThan(0);
    if (field !== undefined) expect(body.errors?.map((e) => e.path)).toContain(field);
    return body;
  }

  it('404 for an unknown route, under /api and elsewhere', async () => {
    await expectProblem(await call('/api/nope'), 404);
    await expectProblem(await call('/nope'), 404);
  });

  it('405 with Allow for a known path and another method', async () => {
    const res = await call('/api/scratch/orders', { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('POST');
    await expectProblem(res, 405);
    expect((await call('/api/scratch/items/a', { method: 'POST' })).headers.get('allow')).toBe('GET, HEAD');
  });

  it('413 for a body over 64 KB, 415 for a body that is not JSON, 400 for broken JSON', async () => {
    await expectProblem(await post(JSON.stringify({ note: 'x'.repeat(70_000) })), 413, 'body');
    await expectProblem(
      await post('market=crypto', { 'content-type': 'text/plain' }),
      415,
      'headers.content-type',
    );
    await expectProblem(await post('{"market":'), 400, 'body');
  });

  it('names every bad field with its path, nested ones included', async () => {
    const body = { market: 'bonds', trades: [{ symbol: 'SOL', amount: '-1' }], extra: 1 };
    const problem = await expectProblem(await post(JSON.stringify(body)), 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'body.extra',
      'body.market',
      'body.trades.0.amount',
    ]);
    await expectProblem(await call('/api/scratch/items/abc?limit=0&zz=1'), 400, 'query.zz');
    await expectProblem(await call('/api/scratch/items/NOT_A_SLUG'), 400, 'params.itemId');
  });

  it('maps an InputError to 400 with its fields, and a bug to a generic 500 logged with its cause', async () => {
    await expectProblem(await call('/api/scratch/fails/input'), 400, 'trades.0.amount');
    const res = await call('/api/scratch/fails/bug');
    const problem = await expectProblem(res, 500);
    expect(JSON.stringify(problem)).not.toMatch(/secret internal detail/);
    const line = await logs.logged('request failed with a server error');
    expect(line['requestId']).toBe(problem.requestId);
    expect(JSON.stringify(line['err'])).toMatch(/secret internal detail/);
  });

  it('answers 500 and logs when a reply does not match its response schema', async () => {
    await expectProblem(await call('/api/scratch/broken-reply'), 500);
    expect((await logs.logged('reply does not match its response schema'))['route']).toBe(
      '/api/scratch/broken-reply',
    );
  });

  it('401 with WWW-Authenticate for missing or bad credentials, counted by reason; 403 for a weak role', async () => {
    const missing = await fetch(`${api.baseUrl}/api/scratch/items/abc`);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectProblem(missing, 401);
    await expectProblem(
      await fetch(`${api.baseUrl}/api/scratch/items/abc`, { headers: { authorization: 'Basic x' } }),
      401,
    );
    const viewerPost = await fetch(`${api.baseUrl}/api/scratch/orders`, {
      method: 'POST',
      headers: { ...bearer('viewer'), 'content-type': 'application/json' },
      body: '{}',
    });
    await expectProblem(viewerPost, 403);
    const metric = await api.registry.getSingleMetricAsString('atc_api_auth_failures_total');
    expect(metric).toMatch(/reason="missing"} 1/);
    expect(metric).toMatch(/reason="malformed"} 1/);
  });

  it('answers 503 at the deadline and fires the handler abort signal', async () => {
    await expectProblem(await call('/api/scratch/slow'), 503);
    await logs.logged('reply dropped: the request had already been answered (timed out)');
    expect(seenAborts.map((signal) => signal.aborted)).toEqual([true]);
  });

  it('echoes a sane X-Request-Id and logs it on every line of the request; replaces an insane one', async () => {
    const res = await call('/api/scratch/fails/input', { headers: { 'x-request-id': 'ops.check_42-a' } });
    expect(res.headers.get('x-request-id')).toBe('ops.check_42-a');
    await res.text();
    const lines = logs.records.filter((record) => record['requestId'] === 'ops.check_42-a');
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['about to fail', 'request completed']),
    );
    const insane = await call('/api/health', {
      headers: { 'x-request-id': 'bad id\u00e9'.replace('é', '!') },
    });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await call('/api/health', { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the Authorization header and a stream ticket out of the logs', async () => {
    const res = await call('/api/scratch/stream?ticket=tkt-secret-123', {
      headers: { cookie: 'session=cookie-secret' },
    });
    expect(res.status).toBe(200);
    await res.text();
    const line = await logs.logged('request completed');
    expect(line).toBeDefined();
    const all = JSON.stringify(logs.records);
    expect(all).toMatch(/\/api\/scratch\/stream\?ticket=\[redacted\]/);
    for (const secret of ['admin-token', 'tkt-secret-123', 'cookie-secret'])
      expect(all).not.toContain(secret);
  });

  it('counts requests by route template, never by raw path', async () => {
    await (await call('/api/scratch/items/some-raw-id')).text();
    const metric = await api.registry.getSingleMetricAsString('atc_http_requests_total');
    expect(metric).toMatch(/method="GET",route="\/api\/scratch\/items\/:itemId",status="200"/);
    expect(metric).not.toMatch(/some-raw-id/);
    expect(await api.registry.getSingleMetricAsString('atc_http_request_duration_seconds')).toMatch(
      /_bucket/,
    );
  });
});
