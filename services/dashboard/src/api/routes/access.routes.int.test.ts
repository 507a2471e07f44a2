import { fixedClock } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { redeemStreamTicket, verifyApiKey } from '@atc/trading';
import type { ApiContext, ApiRoute, ApiServices, Principal } from '../api-route';
import { accessRoutes } from './access.routes';
import { createHeartbeatRoute } from './heartbeat.route';

// The handlers called directly (the HTTP stack, its validation and the authorization matrix are
// engineer H1's and the lead's), against the real database.
const clock = fixedClock('2026-03-02T15:00:00.000Z');
const admin: Principal = { kind: 'api_key', name: 'admin-key', role: 'admin' };

function route(method: string, path: string): ApiRoute {
  const found = accessRoutes.find((candidate) => candidate.method === method && candidate.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
}

describe('access routes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const context = (
    principal: Principal | undefined,
    services: ApiServices = {},
    signal?: AbortSignal,
  ): ApiContext => ({
    pool: db.pool,
    logger: silentLogger(),
    clock,
    requestId: 'test',
    principal,
    services,
    signal: signal ?? new AbortController().signal,
  });
  const call = (
    r: ApiRoute,
    input: Partial<{ params: unknown; query: unknown; body: unknown }>,
    ctx: ApiContext,
  ) => r.handle({ params: input.params ?? {}, query: input.query ?? {}, body: input.body ?? {} }, ctx);

  it('declares each route with the access of the matrix', () => {
    expect(accessRoutes.map((r) => `${r.method} ${r.path} ${r.access}`)).toEqual([
      'POST /api/stream-tickets stream.connect',
      'GET /api/api-keys api_keys.manage',
      'POST /api/api-keys api_keys.manage',
      'DELETE /api/api-keys/:name api_keys.manage',
      'POST /api/heartbeat heartbeat_token',
    ]);
  });

  it('creates a key (shown once, audited with the caller), lists it without the key, revokes it', async () => {
    const createRoute = route('POST', '/api/api-keys');
    const reply = await call(
      createRoute,
      { body: { name: 'web', role: 'viewer', expiresIn: '30d' } },
      context(admin),
    );
    expect(reply.status).toBe(201);
    const body = createRoute.response.parse(reply.body) as { key: string; apiKey: { expiresAt: string } };
    expect(body.apiKey.expiresAt).toBe('2026-04-01T15:00:00.000Z');
    expect(await verifyApiKey(db.pool, body.key, clock)).toEqual({
      ok: true,
      name: 'web',
      role: 'viewer',
      expiresAt: new Date('2026-04-01T15:00:00.000Z'),
    });

    const list = await call(route('GET', '/api/api-keys'), {}, context(admin));
    expect(JSON.stringify(list.body)).not.toContain(body.key);
    expect(route('GET', '/api/api-keys').response.parse(list.body)).toMatchObject({
      items: [{ name: 'web', role: 'viewer', revokedAt: null }],
    });

    const revoked = await call(
      route('DELETE', '/api/api-keys/:name'),
      { params: { name: 'web' } },
      context(admin),
    );
    expect(revoked.body).toMatchObject({ apiKey: { name: 'web', revokedAt: '2026-03-02T15:00:00.000Z' } });
    await expect(
      call(route('DELETE', '/api/api-keys/:name'), { params: { name: 'web' } }, context(admin)),
    ).rejects.toMatchObject({ code: 'not_found' });
    const audit = await db.pool.query(`select actor, action from atc.audit_log order by id`);
    expect(audit.rows).toEqual([
      { actor: 'admin-key', action: 'api_key.created' },
      { actor: 'admin-key', action: 'api_key.revoked' },
    ]);
  });

  it('refuses a bad lifetime naming the field, writing nothing', async () => {
    await expect(
      call(
        route('POST', '/api/api-keys'),
        { body: { name: 'x', role: 'viewer', expiresIn: 'banana' } },
        context(admin),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'expiresIn' } });
    expect((await db.pool.query(`select 1 from atc.api_keys where name = 'x'`)).rowCount).toBe(0);
  });

  it("issues a stream ticket carrying the caller's role, but never for a ticket", async () => {
    const ticketRoute = route('POST', '/api/stream-tickets');
    const viewer: Principal = { kind: 'jwt', name: 'alice', role: 'viewer' };
    const reply = await call(ticketRoute, {}, context(viewer));
    expect(reply.status).toBe(201);
    const { ticket, expiresAt, role } = ticketRoute.response.parse(reply.body) as {
      ticket: string;
      expiresAt: string;
      role: string;
    };
    expect(expiresAt).toBe('2026-03-02T15:01:00.000Z');
    // The web app's sign-in shows the role this answer names.
    expect(role).toBe('viewer');
    expect(await redeemStreamTicket(db.pool, ticket, clock)).toEqual({
      ok: true,
      name: 'alice',
      role: 'viewer',
    });
    await expect(
      call(ticketRoute, {}, context({ kind: 'stream_ticket', name: 'alice', role: 'viewer' })),
    ).rejects.toMatchObject({ code: 'not_allowed' });
  });

  describe('POST /api/heartbeat', () => {
    const RUN = '11111111-1111-4111-8111-111111111111';
    const ran = (runId: string) => ({
      kind: 'ran',
      runId,
      status: 'success',
      durationMs: 12,
      tookOverRunId: null,
      phases: [
        { name: 'market_data', status: 'success', durationMs: 5, budgetMs: 1000, summary: { marks: 3 } },
      ],
    });
    const heartbeatPrincipal: Principal = {
      kind: 'heartbeat_token',
      name: 'heartbeat_token',
      role: 'viewer',
    };

    it('is 503 when this dashboard cannot run the heartbeat', async () => {
      await expect(
        call(route('POST', '/api/heartbeat'), {}, context(heartbeatPrincipal)),
      ).rejects.toMatchObject({
        code: 'unavailable',
      });
    });

    it('answers 200 with the run summary, under the run id it chose', async () => {
      const requested: (string | undefined)[] = [];
      const services: ApiServices = {
        runHeartbeat: (request) => {
          requested.push(request?.runId);
          return Promise.resolve(ran(request!.runId!));
        },
      };
      const reply = await call(route('POST', '/api/heartbeat'), {}, context(heartbeatPrincipal, services));
      expect(reply).toMatchObject({
        status: 200,
        body: { outcome: 'completed', runId: requested[0], status: 'success' },
      });
    });

    it('answers 409 with the running run id when skipped', async () => {
      const services: ApiServices = {
        runHeartbeat: () =>
          Promise.resolve({ kind: 'skipped', holder: { owner: 'h', runId: RUN, expiresAt: new Date() } }),
      };
      const reply = await call(route('POST', '/api/heartbeat'), {}, context(heartbeatPrincipal, services));
      expect(reply).toEqual({ status: 409, body: { outcome: 'skipped', runningRunId: RUN } });
    });

    it('answers 202 with the run id when the run outlasts the reply deadline', async () => {
      jest.useFakeTimers();
      try {
        let finish: (outcome: unknown) => void = () => undefined;
        let runId: string | undefined;
        const services: ApiServices = {
          runHeartbeat: (request) => {
            runId = request?.runId;
            return new Promise((resolve) => (finish = resolve));
          },
        };
        const pending = call(
          createHeartbeatRoute({ replyAfterMs: 5_000 }),
          {},
          context(heartbeatPrincipal, services),
        );
        await jest.advanceTimersByTimeAsync(5_000);
        expect(await pending).toEqual({ status: 202, body: { outcome: 'running', runId } });
        finish(ran(runId!));
      } finally {
        jest.useRealTimers();
      }
    });

    it('answers 202 at once when the request is aborted', async () => {
      const controller = new AbortController();
      const services: ApiServices = { runHeartbeat: () => new Promise(() => undefined) };
      const pending = call(
        route('POST', '/api/heartbeat'),
        {},
        context(heartbeatPrincipal, services, controller.signal),
      );
      controller.abort();
      expect(await pending).toMatchObject({ status: 202, body: { outcome: 'running' } });
    });
  });
});
