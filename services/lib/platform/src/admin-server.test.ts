import { silentLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { startAdminServer, type AdminServer } from './admin-server';

describe('admin server', () => {
  let healthy = true;
  let draining = false;
  let admin: AdminServer;
  beforeAll(async () => {
    admin = await startAdminServer({
      port: 0,
      host: '127.0.0.1',
      service: 'test',
      registry: createMetricsRegistry({ service: 'test', version: 'test' }),
      logger: silentLogger(),
      checks: {
        database: () => Promise.resolve(healthy ? { ok: true } : { ok: false, detail: 'connection refused' }),
        migrations: () => Promise.resolve({ ok: true }),
      },
      isDraining: () => draining,
    });
  });
  afterAll(() => admin.close());
  const get = (path: string) => fetch(`http://127.0.0.1:${admin.port}${path}`);

  it('answers liveness without running checks', async () => {
    healthy = false;
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'test' });
  });

  it('answers readiness 200 with every check when all pass, 503 naming the failure when one fails', async () => {
    healthy = true;
    let res = await get('/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
    });
    healthy = false;
    res = await get('/health/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'not_ready',
      checks: { database: { status: 'fail', detail: 'connection refused' }, migrations: { status: 'ok' } },
    });
  });

  it('reports not ready while draining', async () => {
    healthy = true;
    draining = true;
    const res = await get('/health/ready');
    expect(res.status).toBe(503);
    draining = false;
  });

  it('serves prometheus metrics with the atc_ prefix', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('atc_build_info{version="test",service="test"} 1');
  });

  it('exports atc_role_ready from the readiness checks at scrape time: a failing check → 0, draining → 0', async () => {
    const readyLine = async () =>
      (await (await get('/metrics')).text()).match(/^atc_role_ready\{.*\} (\d)$/m)?.[1];
    healthy = true;
    expect(await readyLine()).toBe('1');
    healthy = false;
    expect(await readyLine()).toBe('0');
    healthy = true;
    draining = true;
    expect(await readyLine()).toBe('0');
    draining = false;
    expect(await readyLine()).toBe('1');
  });

  it.each(['/health', '/health/ready', '/metrics'])(
    'answers 405 with an Allow header for a wrong method on %s',
    async (route) => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await fetch(`http://127.0.0.1:${admin.port}${route}`, { method });
        expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'GET, HEAD']);
        expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
      }
      expect((await fetch(`http://127.0.0.1:${admin.port}${route}`, { method: 'HEAD' })).status).not.toBe(
        405,
      );
    },
  );
});
