/**
 * The fuzz of issue 15 over every route the operator API declares: at least 200 generated bad
 * requests each (wrong types, huge and negative numbers, unknown keys, 1 MB bodies, broken JSON, a
 * wrong content type, SQL- and path-like strings), sent to the real server over real HTTP by a caller
 * allowed on the route. Not one answer may be a 5xx; each must be a problem+json 4xx naming the field
 * at fault, with no stack trace; and no refused request may write a row (every atc.* table counted).
 * @module
 */
import { fixedClock } from '@atc/contracts';
import { applySeeds, createApiKey } from '@atc/trading';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { apiRoutes } from './routes';
import { builtInRoutes } from './api-app';
import { createAuthenticator } from './auth';
import { fuzzRoutes } from './testing/fuzz-routes';
import { type RunningApi, startApi } from './testing/test-api';

describe('every declared route under the fuzz (real server, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let adminKey: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    const clock = fixedClock('2026-01-05T15:00:00Z');
    const logger = captureLogger('fatal').logger;
    adminKey = (await createApiKey(db.pool, { name: 'fuzz-admin', role: 'admin', actor: 'test' }, clock)).key;
    api = await startApi({
      routes: apiRoutes,
      pool: db.pool,
      logger,
      clock,
      // The real authenticator: a stream ticket beside an API key is refused, as in production.
      authenticator: createAuthenticator({
        pool: db.pool,
        clock,
        logger,
        settings: { jwt: undefined, heartbeatTokens: ['fuzz-heartbeat-token'] },
      }),
      http: { rateLimitPerMinute: 1_000_000 },
    });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('refuses every bad request with a 4xx problem naming the field, and writes nothing', async () => {
    const routes = [...builtInRoutes, ...apiRoutes];
    const report = await fuzzRoutes({
      baseUrl: api.baseUrl,
      routes,
      pool: db.pool,
      // The admin may call every route, so each request reaches validation rather than a 403; the
      // heartbeat trigger takes its token.
      credentialsFor: (route) => ({
        authorization: `Bearer ${route.access === 'heartbeat_token' ? 'fuzz-heartbeat-token' : adminKey}`,
      }),
    });
    expect(report.failures).toEqual([]);
    expect(report.rowCountChanges).toEqual([]);
    for (const route of routes) {
      expect([
        `${route.method} ${route.path}`,
        report.casesByRoute.get(`${route.method} ${route.path}`),
      ]).toEqual([`${route.method} ${route.path}`, expect.any(Number)]);
      expect(report.casesByRoute.get(`${route.method} ${route.path}`)).toBeGreaterThanOrEqual(200);
    }
  }, 600_000);
});
