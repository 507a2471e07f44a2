/**
 * The application needs no DDL and no privilege the app role lacks: the end-to-end test's weekday
 * scenario (seeds, heartbeat, signal → proposal → mission → step → order → fill → position → close →
 * outcome → lesson in every market, LISTEN/NOTIFY, leases, the audit chain) runs with every connection
 * made as the app role, and the exporter's snapshot reads as the read-only role. And on a fresh database whose roles were applied before its first migration,
 * `atc migrate up` as the owner leaves the app role without UPDATE or DELETE on the audit log
 * (migration 0019 takes back what the default privileges gave).
 */
import { Pool } from 'pg';
import { marketSession } from '@atc/contracts';
import { findMigrationsDirectory, Migrator, silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { readBusinessMetrics, verifyAuditChain } from '@atc/trading';
import { MARKETS, startLocalCompany } from '../testing/local-company.fixture';
import { applyRoles, testRoles, type TestRoles } from '../testing/database-roles.fixture';

const WEEKDAY = new Date('2026-12-16T15:00:00Z');
const RUN_EVERY_TICKS = 300;
const MAX_RUNS = 30;

async function completedMarkets(pool: Pool): Promise<string[]> {
  const rows = await pool.query<{ market: string }>(
    `select distinct o.market from atc.outcomes o
       join atc.memories m on m.source_trace_id = o.id::text and m.type = 'lesson'`,
  );
  return rows.rows.map((r) => r.market).sort();
}

/** The test database seen through the app role: its URL and pools connect as that role. */
function asAppRole(db: TestDatabase, roles: TestRoles): TestDatabase {
  const url = roles.urlAs('app', db.url);
  const pools: Pool[] = [];
  const createPool = (max: number) => {
    const pool = new Pool({ connectionString: url, max, statement_timeout: 30_000 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  return {
    url,
    name: db.name,
    pool: createPool(10),
    createPool,
    // The company closes its pools; the database and the roles are dropped by afterAll.
    drop: async () => {
      await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
    },
  };
}

describe('the least-privilege app role runs the company', () => {
  let db: TestDatabase;
  let fresh: TestDatabase;
  let roles: TestRoles;
  beforeAll(async () => {
    db = await createTestDatabase();
    fresh = await createTestDatabase({ migrated: false });
    roles = testRoles();
  });
  afterAll(async () => {
    await db?.drop();
    await fresh?.drop();
    await roles?.dropRoles();
  });

  it('trades a weekday in every market to a lesson with every connection as the app role', async () => {
    expect(await applyRoles(roles, db.url)).toMatchObject({ code: 0 });
    const appDb = asAppRole(db, roles);
    const who = await appDb.pool.query<{ user: string }>('select current_user as user');
    expect(who.rows[0]!.user).toBe(roles.names.app);
    const company = await startLocalCompany(WEEKDAY, { db: appDb });
    const expected = MARKETS.filter((m) => marketSession(m, WEEKDAY).open).sort();
    expect(expected).toEqual(['crypto', 'futures', 'options']);
    try {
      let runs = 0;
      while (runs < MAX_RUNS && (await completedMarkets(appDb.pool)).length < expected.length) {
        const { outcome } = await company.heartbeat(runs + 1);
        if (outcome.kind !== 'ran') throw new Error('the heartbeat run was skipped');
        expect(outcome.status).toBe('success');
        await company.settled(20_000);
        company.sim.context.clock.advance(RUN_EVERY_TICKS);
        runs += 1;
      }
      expect(await completedMarkets(appDb.pool)).toEqual(expected);
      const orders = await appDb.pool.query<{ n: number }>('select count(*)::int as n from atc.orders');
      expect(orders.rows[0]!.n).toBeGreaterThan(0);
      expect(await verifyAuditChain(appDb.pool)).toMatchObject({ ok: true });
      // The dashboard's exporter needs nothing but the read-only role (EXPORTER_DATABASE_URL).
      const snapshot = await readBusinessMetrics(roles.poolAs('readonly', db.url), { asOf: new Date() });
      expect(snapshot.heartbeat.lastSuccessAt).not.toBeNull();
    } finally {
      await company.close();
    }
  }, 120_000);

  it('a fresh database: roles first, then `migrate up` (and down to 0 and up again) as the owner; the audit log stays append-only', async () => {
    expect(await applyRoles(roles, fresh.url)).toMatchObject({ code: 0, stderr: '' });
    const owner = roles.poolAs('owner', fresh.url);
    const migrator = new Migrator({
      pool: owner,
      directory: findMigrationsDirectory(),
      logger: silentLogger(),
    });
    expect(await migrator.up()).toContain(19);
    // The owner can take the schema down to nothing and build it again: the grants follow.
    await migrator.down(0);
    expect(await migrator.up()).toContain(19);
    const app = roles.poolAs('app', fresh.url);
    await app.query(`select atc.append_audit('roles-test', 'roles.fresh', 'test', '1', '{}'::jsonb)`);
    await expect(app.query(`update atc.audit_log set actor = 'forger'`)).rejects.toThrow(
      'permission denied for table audit_log',
    );
    await expect(app.query('delete from atc.schema_migrations')).rejects.toThrow(
      'permission denied for table schema_migrations',
    );
    await expect(app.query('create table atc.intruder (id int)')).rejects.toThrow(/permission denied/);
    // The default privileges gave the app role every other table's rows.
    const tables = await app.query<{ missing: string[] }>(
      `select coalesce(array_agg(relname::text order by relname), '{}'::text[]) as missing from pg_class
        where relnamespace = 'atc'::regnamespace and relkind = 'r'
          and relname not in ('audit_log', 'schema_migrations', 'schema_functions')
          and not (has_table_privilege(oid, 'select') and has_table_privilege(oid, 'insert')
                   and has_table_privilege(oid, 'update') and has_table_privilege(oid, 'delete'))`,
    );
    expect(tables.rows[0]!.missing).toEqual([]);
    const readonly = roles.poolAs('readonly', fresh.url);
    const audit = await readonly.query<{ n: number }>('select count(*)::int as n from atc.audit_log');
    expect(audit.rows[0]!.n).toBe(1);
  }, 60_000);
});
