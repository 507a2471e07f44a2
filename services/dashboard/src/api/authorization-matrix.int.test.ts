/**
 * Issue 15's authorization matrix, end to end: every route the server answers (the stack's own and
 * apiRoutes) × every kind of caller — none, malformed, unknown, expired, revoked, the heartbeat token,
 * viewer, operator, admin — over real HTTP against the real app, the real authenticator and real
 * PostgreSQL. The expected class (401, 403 or 2xx) is computed from PERMISSIONS/roleAllows, never
 * written per route; an allowed call is a valid request that must succeed. A route without a row in
 * VALID_REQUEST fails the test, so a new route cannot skip the matrix. The live stream's allowed
 * answer is a 200 of content type text/event-stream, its request aborted once the headers are in.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@atc/contracts';
import { Registry } from '@atc/platform';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, createApiKey, revokeApiKey, submitProposal } from '@atc/trading';
import { insertTestMarks, tradeProposal, tunePolicy } from '@atc/trading/testing';
import { builtInRoutes } from './api-app';
import { roleAllows, type ApiRoute } from './api-route';
import { createAuthenticator } from './auth';
import { apiRoutes } from './routes';
import {
  awaitingProposal,
  engagedKillSwitch,
  insertConversation,
  liveKeyName,
  stepNeedingReconciliation,
  trippedLossLatch,
} from './testing/matrix-fixtures';
import { createEventStream } from './stream/create-event-stream';
import type { EventStreamService } from './stream/serve-event-stream';
import { TEST_STREAM_CONFIG } from './stream/testing/stream-test-server';
import { type RunningApi, startApi } from './testing/test-api';

const asOf = new Date('2031-02-04T15:00:00Z');
const HEARTBEAT_TOKEN = 'hb-token';

/** One clock for the app and the authenticator, moved forward once the keys exist. */
function settableClock(start: Date): Clock & { set(at: Date): void } {
  let now = start;
  return { now: () => new Date(now.getTime()), set: (at) => (now = at) };
}

interface Fixtures {
  readonly db: TestDatabase;
  readonly clock: Clock;
  readonly missionId: string;
  readonly clientOrderId: string;
  readonly conversationId: string;
  readonly proposalId: string;
}

interface ValidRequest {
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
}

const get = (path: string, query?: Record<string, string>) => () =>
  Promise.resolve<ValidRequest>({ path, ...(query ? { query } : {}) });

/** A request each route answers with 2xx when the caller is allowed, keyed `${method} ${path}`. */
const VALID_REQUEST: Record<string, (fixtures: Fixtures) => Promise<ValidRequest>> = {
  'GET /api/health': get('/api/health'),
  'GET /api/openapi.json': get('/api/openapi.json'),
  'POST /api/stream-tickets': get('/api/stream-tickets'),
  'GET /api/api-keys': get('/api/api-keys'),
  'POST /api/api-keys': () =>
    Promise.resolve({ path: '/api/api-keys', body: { name: `new-${randomUUID()}`, role: 'viewer' } }),
  'DELETE /api/api-keys/:name': async (f) => ({
    path: `/api/api-keys/${await liveKeyName(f.db.pool, f.clock)}`,
  }),
  'POST /api/heartbeat': get('/api/heartbeat'),
  'GET /api/auth/methods': get('/api/auth/methods'),
  'POST /api/auth/oidc/token': () =>
    Promise.resolve({
      path: '/api/auth/oidc/token',
      body: { code: 'code-1', codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1/auth/callback' },
    }),
  'GET /api/status': get('/api/status'),
  'GET /api/heartbeat/runs': get('/api/heartbeat/runs', { limit: '5' }),
  'GET /api/proposals': get('/api/proposals', { limit: '5' }),
  'GET /api/proposals/:id': (f) => get(`/api/proposals/${f.proposalId}`)(),
  'POST /api/proposals': () =>
    Promise.resolve({ path: '/api/proposals', body: tradeProposal({ notionalUsd: '10' }) }),
  'POST /api/proposals/:id/approve': async (f) => {
    const { id, contentHash } = await awaitingProposal(f.db.pool, asOf);
    return { path: `/api/proposals/${id}/approve`, body: { contentHash } };
  },
  'POST /api/proposals/:id/reject': async (f) => {
    const { id, contentHash } = await awaitingProposal(f.db.pool, asOf);
    return { path: `/api/proposals/${id}/reject`, body: { contentHash, reason: 'matrix test' } };
  },
  'GET /api/missions': get('/api/missions'),
  'GET /api/missions/:id': (f) => get(`/api/missions/${f.missionId}`)(),
  'GET /api/orders': get('/api/orders'),
  'GET /api/orders/:clientOrderId': (f) => get(`/api/orders/${f.clientOrderId}`)(),
  'GET /api/orders/:clientOrderId/explain': (f) => get(`/api/orders/${f.clientOrderId}/explain`)(),
  'GET /api/positions': get('/api/positions'),
  'GET /api/pnl/daily': get('/api/pnl/daily'),
  'GET /api/pnl/equity': get('/api/pnl/equity', { days: '7' }),
  'GET /api/prices/:market/:instrument': get('/api/prices/crypto/SOL'),
  'GET /api/agents': get('/api/agents'),
  'GET /api/agents/:agent/memories': get('/api/agents/atlas/memories'),
  'GET /api/relationships': get('/api/relationships'),
  'GET /api/conversations': get('/api/conversations'),
  'GET /api/conversations/:id': (f) => get(`/api/conversations/${f.conversationId}`)(),
  'GET /api/events': get('/api/events'),
  'GET /api/audit': get('/api/audit'),
  'GET /api/audit/verify': get('/api/audit/verify'),
  'GET /api/policies': get('/api/policies'),
  'GET /api/policies/:key': get('/api/policies/quotas'),
  'GET /api/policies/:key/history': get('/api/policies/quotas/history'),
  'PUT /api/policies/:key': () =>
    Promise.resolve({
      path: '/api/policies/quotas',
      body: { value: { maxDailyAnalyses: 7, maxDailyRoundtables: 2 } },
    }),
  'GET /api/kill-switch': get('/api/kill-switch'),
  'POST /api/kill-switch/engage': () =>
    Promise.resolve({ path: '/api/kill-switch/engage', body: { reason: 'matrix test' } }),
  'POST /api/kill-switch/release': async (f) => {
    await engagedKillSwitch(f.db.pool, f.clock);
    return { path: '/api/kill-switch/release', body: { reason: 'matrix test' } };
  },
  'POST /api/loss-latch/reset': async (f) => {
    await trippedLossLatch(f.db.pool, asOf);
    return { path: '/api/loss-latch/reset', body: { reason: 'matrix test' } };
  },
  'GET /api/reconciliation': get('/api/reconciliation'),
  'POST /api/reconciliation/:stepId/resolve': async (f) => {
    const { stepId } = await stepNeedingReconciliation(f.db.pool);
    return {
      path: `/api/reconciliation/${stepId}/resolve`,
      body: { outcome: 'not_filled', evidence: 'venue has no such order' },
    };
  },
  'GET /api/stream': get('/api/stream'),
};

type Identity = { readonly label: string; readonly authorization: string | undefined } & (
  | { readonly kind: 'refused' }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'role'; readonly role: 'viewer' | 'operator' | 'admin' }
);

type Expected = '2xx' | '401' | '403';

function expectedFor(route: ApiRoute, identity: Identity): Expected {
  if (route.access === 'public') return '2xx';
  if (route.access === 'heartbeat_token') return identity.kind === 'heartbeat' ? '2xx' : '401';
  if (identity.kind !== 'role') return '401';
  return roleAllows(identity.role, route.access) ? '2xx' : '403';
}

function classOf(status: number): string {
  return status >= 200 && status <= 299 ? '2xx' : String(status);
}

const signatureOf = (route: ApiRoute) => `${route.method} ${route.path}`;

describe('the authorization matrix: every route × every kind of caller (real server, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApi | undefined;
  let eventStream: EventStreamService | undefined;
  let fixtures: Fixtures;
  const identities: Identity[] = [];
  const routes: readonly ApiRoute[] = [...builtInRoutes, ...apiRoutes];

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool, asOf);
    // Every call of the matrix prepares its own proposals: room for all of them under the limits.
    await tunePolicy(db.pool, 'trade_limits', {
      maxDailyTrades: 1000,
      maxOpenPositions: 1000,
      maxTotalExposureUsd: '10000000',
    });
    // Keys are made an hour before asOf; the expired one lives a minute, then the clock moves to asOf.
    const clock = settableClock(new Date(asOf.getTime() - 3_600_000));
    const keyOf = async (name: string, role: 'viewer' | 'operator' | 'admin', lifetimeMs?: number) =>
      (
        await createApiKey(
          db.pool,
          { name, role, actor: 'matrix-test', ...(lifetimeMs ? { lifetimeMs } : {}) },
          clock,
        )
      ).key;
    const expired = await keyOf('expired-admin', 'admin', 60_000);
    const revoked = await keyOf('revoked-admin', 'admin');
    await revokeApiKey(db.pool, { name: 'revoked-admin', actor: 'matrix-test' }, clock);
    // A well-formed key (valid checksum) that the store does not hold: made, then its row deleted.
    const unknown = await keyOf('never-stored', 'admin');
    await db.pool.query(`delete from atc.api_keys where name = 'never-stored'`);
    const roles = ['viewer', 'operator', 'admin'] as const;
    const keys = await Promise.all(roles.map((role) => keyOf(`matrix-${role}`, role)));
    clock.set(asOf);

    identities.push(
      { label: 'none', authorization: undefined, kind: 'refused' },
      { label: 'malformed (Basic)', authorization: 'Basic abc', kind: 'refused' },
      { label: 'malformed (Bearer, no token)', authorization: 'Bearer', kind: 'refused' },
      { label: 'unknown key', authorization: `Bearer ${unknown}`, kind: 'refused' },
      { label: 'expired key', authorization: `Bearer ${expired}`, kind: 'refused' },
      { label: 'revoked key', authorization: `Bearer ${revoked}`, kind: 'refused' },
      { label: 'heartbeat token', authorization: `Bearer ${HEARTBEAT_TOKEN}`, kind: 'heartbeat' },
      ...roles.map((role, i): Identity => ({
        label: role,
        authorization: `Bearer ${keys[i]!}`,
        kind: 'role',
        role,
      })),
    );

    const logger = captureLogger('fatal').logger;
    const mission = await submitProposal(db.pool, tradeProposal({ notionalUsd: '10' }), { asOf });
    const { clientOrderId } = await stepNeedingReconciliation(db.pool);
    fixtures = {
      db,
      clock,
      missionId: mission.missionId!,
      clientOrderId,
      conversationId: await insertConversation(db.pool),
      proposalId: mission.proposalId,
    };
    eventStream = createEventStream({
      pool: db.pool,
      databaseUrl: db.url,
      registry: new Registry(),
      logger,
      config: TEST_STREAM_CONFIG,
    });
    await eventStream.hub.start();
    api = await startApi({
      routes: apiRoutes,
      pool: db.pool,
      logger,
      clock,
      authenticator: createAuthenticator({
        pool: db.pool,
        clock,
        logger,
        settings: { jwt: undefined, heartbeatTokens: [HEARTBEAT_TOKEN] },
      }),
      http: { rateLimitPerMinute: 1_000_000 },
      services: {
        eventStream,
        // A provider that accepts any code: the matrix asks only who may call the public routes.
        signIn: {
          jwt: true,
          oidc: {
            signIn: () => Promise.resolve(null),
            exchangeCode: () =>
              Promise.resolve({
                token: 'a.b.c',
                name: 'oidc-user',
                role: 'viewer' as const,
                expiresAt: null,
              }),
          },
        },
        runHeartbeat: (request) =>
          Promise.resolve({
            kind: 'ran',
            runId: request?.runId ?? randomUUID(),
            status: 'success',
            durationMs: 1,
            tookOverRunId: null,
            phases: [],
          }),
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    await eventStream?.hub.stop();
    await db.drop();
  });

  /** The answer's status; a stream's request is aborted once its headers are in. */
  async function send(route: ApiRoute, request: ValidRequest, identity: Identity): Promise<string> {
    const url = new URL(request.path, api!.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const controller = new AbortController();
    const response = await fetch(url, {
      method: route.method,
      headers: {
        ...(identity.authorization !== undefined ? { authorization: identity.authorization } : {}),
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: controller.signal,
    });
    const status = classOf(response.status);
    if (route.responseContentType === 'text/event-stream' && status === '2xx') {
      const type = response.headers.get('content-type') ?? '';
      controller.abort();
      return type.startsWith('text/event-stream') ? status : `${status} with content-type ${type}`;
    }
    const text = await response.text();
    return status === '2xx' ? status : `${status} ${text.slice(0, 200)}`;
  }

  it('has a valid request for every route the server answers, and none for a route it does not', () => {
    expect(Object.keys(VALID_REQUEST).sort()).toEqual(routes.map(signatureOf).sort());
  });

  it('answers exactly 401, 403 or 2xx as PERMISSIONS says, for every route and caller', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const valid = VALID_REQUEST[signatureOf(route)];
      if (!valid) {
        mismatches.push(`${signatureOf(route)}: no row in VALID_REQUEST`);
        continue;
      }
      for (const identity of identities) {
        const expected = expectedFor(route, identity);
        const actual = await send(route, await valid(fixtures), identity);
        checked++;
        if (!actual.startsWith(expected)) {
          mismatches.push(`${signatureOf(route)} as ${identity.label}: expected ${expected}, got ${actual}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * identities.length);
  }, 300_000);
});
