import path from 'node:path';
import { type Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from './testing';
import { childEnvironment, REPOSITORY_ROOT, runTypeScript } from './testing/run-process';
import { findFreePort } from './db/local-postgres';
import { createPool } from './db/pool';
import { silentLogger } from './logger';
import { createMetricsRegistry, registerPoolMetrics } from './metrics';
import { startAdminServer } from './admin-server';
import { loadConfig, databaseEnvironment } from './config';
import { z } from 'zod';

const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

describe('a role at start-up', () => {
  it('exits 1 naming every bad key when DB_POOL_MAX=abc and DATABASE_URL is missing', async () => {
    const proc = runTypeScript(
      cli,
      ['dashboard'],
      childEnvironment({ DB_POOL_MAX: 'abc', DATABASE_URL: undefined }),
    );
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toContain('DATABASE_URL: is required');
    expect(proc.stderr()).toContain('DB_POOL_MAX: must be an integer');
  });

  it('never prints a secret value in a configuration error', async () => {
    const secret = 'postgres://trader:hunter2@127.0.0.1:1/x';
    const proc = runTypeScript(
      cli,
      ['dashboard'],
      childEnvironment({ DATABASE_URL: secret, DB_POOL_MAX: '0' }),
    );
    await proc.exited;
    expect(proc.stderr()).toContain('DB_POOL_MAX: must be at least 1');
    expect(proc.stderr()).not.toContain('hunter2');
  });

  it('fails fast with a clear message when the database cannot be reached', async () => {
    const port = await findFreePort();
    const proc = runTypeScript(
      cli,
      ['dashboard'],
      childEnvironment({
        DATABASE_URL: `postgres://u:pw-not-shown@127.0.0.1:${port}/none`,
        DB_CONNECTION_TIMEOUT_MS: '2000',
      }),
    );
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toMatch(/cannot connect to PostgreSQL at postgres:\/\/\[redacted\]@127\.0\.0\.1/);
    expect(proc.stderr()).not.toContain('pw-not-shown');
  });
});

describe('the database pool', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(z.object(databaseEnvironment), {
      DATABASE_URL: database.url,
      DB_STATEMENT_TIMEOUT_MS: '300',
      DB_POOL_MAX: '4',
    });
    pool = createPool({ config, applicationName: 'atc-test', logger: silentLogger() });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('statement_timeout cancels a longer pg_sleep', async () => {
    await expect(pool.query('select pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    const ok = await pool.query<{ one: number }>('select 1 as one');
    expect(ok.rows[0]!.one).toBe(1);
  });

  it('names itself in pg_stat_activity', async () => {
    const result = await pool.query<{ name: string }>('select current_setting($1::text) as name', [
      'application_name',
    ]);
    expect(result.rows[0]!.name).toBe('atc-test');
  });

  it('exports total, idle, waiting and max gauges in /metrics', async () => {
    const registry = createMetricsRegistry({ service: 'test', version: 'test' });
    registerPoolMetrics(registry, pool, 'main', 4);
    const admin = await startAdminServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      logger: silentLogger(),
      service: 'test',
      checks: {},
    });
    try {
      const held = await pool.connect();
      const body = await (await fetch(`http://127.0.0.1:${admin.port}/metrics`)).text();
      held.release();
      expect(body).toMatch(/atc_db_pool_connections_total\{pool="main",service="test"\} [1-4]/);
      expect(body).toMatch(/atc_db_pool_connections_idle\{pool="main",service="test"\} \d/);
      expect(body).toMatch(/atc_db_pool_clients_waiting\{pool="main",service="test"\} 0/);
      expect(body).toMatch(/atc_db_pool_connections_max\{pool="main",service="test"\} 4/);
      expect(body).toMatch(/atc_process_cpu_seconds_total/);
    } finally {
      await admin.close();
    }
  });
});
