import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import type { ApiRoute } from '../api-route';
import { fuzzRoutes } from './fuzz-routes';
import { createScratchTable, scratchItemRoute, scratchOrderRoute, scratchRoutes } from './scratch-routes';
import { bearer, type RunningApi, startApi } from './test-api';

describe('route fuzz over real HTTP', () => {
  let db: TestDatabase;
  let api: RunningApi;
  beforeAll(async () => {
    db = await createTestDatabase();
    await createScratchTable(db.pool);
    api = await startApi({
      routes: scratchRoutes,
      pool: db.pool,
      logger: captureLogger('warn').logger,
      http: { rateLimitPerMinute: 100_000 },
    });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('refuses every generated bad request with a 4xx problem naming the field, and writes nothing', async () => {
    const examples = new Map<ApiRoute, object>([
      [scratchItemRoute, { params: { itemId: 'abc-1' }, query: { limit: '10', tag: 'x' } }],
      [
        scratchOrderRoute,
        { body: { market: 'crypto', trades: [{ symbol: 'SOL', amount: '1.5' }], note: 'n' } },
      ],
    ]);
    const report = await fuzzRoutes({
      baseUrl: api.baseUrl,
      routes: scratchRoutes,
      pool: db.pool,
      credentialsFor: () => bearer('admin'),
      exampleFor: (route) => examples.get(route),
    });
    expect(report.failures).toEqual([]);
    expect(report.rowCountChanges).toEqual([]);
    for (const route of scratchRoutes) {
      expect(report.casesByRoute.get(`${route.method} ${route.path}`)).toBeGreaterThanOrEqual(200);
    }
  });

  it('works from the declarations alone, without a valid example', async () => {
    const report = await fuzzRoutes({
      baseUrl: api.baseUrl,
      routes: scratchRoutes,
      pool: db.pool,
      credentialsFor: () => bearer('admin'),
      seed: 7,
    });
    expect(report.failures).toEqual([]);
    expect(report.rowCountChanges).toEqual([]);
    expect([...report.casesByRoute.values()].every((count) => count >= 200)).toBe(true);
  });

  it('would see a write: the valid example is accepted and counted', async () => {
    const res = await fetch(`${api.baseUrl}/api/scratch/orders`, {
      method: 'POST',
      headers: { ...bearer('operator'), 'content-type': 'application/json' },
      body: JSON.stringify({ market: 'crypto', trades: [{ symbol: 'SOL', amount: '1.5' }] }),
    });
    expect(res.status).toBe(201);
    const { rows } = await db.pool.query<{ n: string }>(
      'select count(*)::text as n from atc.api_scratch_orders',
    );
    expect(rows[0]!.n).toBe('1');
  });
});
