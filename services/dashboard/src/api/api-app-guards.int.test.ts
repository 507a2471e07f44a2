import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { scratchRoutes } from './testing/scratch-routes';
import { bearer, type RunningApi, startApi } from './testing/test-api';
import type { ApiHttpConfig } from '../dashboard.config';

describe('the API stack guards: rate limit, CORS, security headers', () => {
  let db: TestDatabase;
  const running: RunningApi[] = [];
  const start = async (http: Partial<ApiHttpConfig>) => {
    const api = await startApi({
      routes: scratchRoutes,
      pool: db.pool,
      logger: captureLogger().logger,
      http,
    });
    running.push(api);
    return api;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(running.map((api) => api.close()));
    await db.drop();
  });

  const hit = (api: RunningApi, headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}/api/scratch/items/abc?limit=5`, { headers: { ...bearer('viewer'), ...headers } });

  async function spend(api: RunningApi, count: number, headers: (i: number) => Record<string, string>) {
    for (let i = 0; i < count; i += 1) expect((await hit(api, headers(i))).status).toBe(200);
  }

  it('answers the 101st request within a minute from one address with 429 and RateLimit headers', async () => {
    const api = await start({ rateLimitPerMinute: 100 });
    await spend(api, 100, () => ({}));
    const refused = await hit(api);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('ratelimit')).toMatch(/r=0/);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/q=100/);
    expect(await refused.json()).toMatchObject({ status: 429, type: 'urn:atc:problem:rate_limited' });
    expect(await api.registry.getSingleMetricAsString('atc_http_rate_limited_total')).toMatch(
      /atc_http_rate_limited_total 1$/m,
    );
  });

  it('does not let a forged X-Forwarded-For escape the limit when no proxy is trusted (the default)', async () => {
    const api = await start({ rateLimitPerMinute: 100 });
    await spend(api, 100, (i) => ({ 'x-forwarded-for': `203.0.113.${i}` }));
    expect((await hit(api, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
  });

  it('honours X-Forwarded-For from a trusted hop under TRUST_PROXY=1', async () => {
    const api = await start({ rateLimitPerMinute: 100, trustProxy: 1 });
    await spend(api, 100, () => ({ 'x-forwarded-for': '203.0.113.1' }));
    expect((await hit(api, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    expect((await hit(api, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
  });

  describe('CORS', () => {
    const allowed = 'https://ops.example.com';
    let api: RunningApi;
    beforeAll(async () => {
      api = await start({ corsOrigins: [allowed] });
    });
    const corsHeaders = (res: Response) =>
      [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));

    it('gives an allowed origin Access-Control-Allow-Origin', async () => {
      const res = await hit(api, { origin: allowed });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });

    it('gives a foreign origin no CORS header at all', async () => {
      const res = await hit(api, { origin: 'https://evil.example' });
      expect(res.status).toBe(200);
      expect(corsHeaders(res)).toEqual([]);
    });

    it('answers an allowed preflight, and gives a foreign one nothing', async () => {
      const preflight = (origin: string) =>
        fetch(`${api.baseUrl}/api/scratch/orders`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const ok = await preflight(allowed);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);
      const foreign = await preflight('https://evil.example');
      expect(foreign.status).toBeGreaterThanOrEqual(400);
      expect(corsHeaders(foreign)).toEqual([]);
    });
  });

  it('sends a CSP that allows only the app itself, and the other helmet headers', async () => {
    const api = await start({});
    const res = await fetch(`${api.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    for (const directive of csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)) {
      expect(
        directive
          .split(/\s+/)
          .slice(1)
          .every((source) => source === "'self'" || source === "'none'"),
      ).toBe(true);
    }
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps /health and /health/ready', async () => {
    const api = await start({});
    expect((await fetch(`${api.baseUrl}/health/ready`)).status).toBe(200);
  });
});
