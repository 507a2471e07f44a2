import type { Pool } from 'pg';
import { findMigrationsDirectory, Migrator, silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applyRoles, atcCli, testRoles, type TestRoles } from '../testing/database-roles.fixture';

// The roles as `atc db roles --apply` leaves them on a migrated database, each privilege tried by
// connecting AS the role (SCRAM passwords the command set): refusals must come from missing
// privileges, not from the audit trigger.
const PERMISSION_DENIED = /permission denied|must be owner/;

async function refusal(pool: Pool, sql: string): Promise<{ code?: string; message: string }> {
  try {
    await pool.query(sql);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code, message };
  }
  throw new Error(`the statement was allowed: ${sql}`);
}

describe('atc db roles', () => {
  let db: TestDatabase;
  let roles: TestRoles;
  let app: Pool;
  let readonly: Pool;
  let owner: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    roles = testRoles();
    const applied = await applyRoles(roles, db.url);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    app = roles.poolAs('app', db.url);
    readonly = roles.poolAs('readonly', db.url);
    owner = roles.poolAs('owner', db.url);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
    await roles?.dropRoles();
  });

  it('--print-sql prints the roles, grants and default privileges, and never a password', async () => {
    const printed = await atcCli(['db', 'roles', '--print-sql', '--app', 'trader'], {
      DB_APP_PASSWORD: 'canary-password-0123',
    });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/create role "trader" login/);
    expect(printed.stdout).toMatch(
      /grant select, insert, update, delete on all tables in schema atc to "trader"/,
    );
    expect(printed.stdout).toMatch(/revoke update, delete, truncate on atc\.audit_log from "trader";/);
    expect(printed.stdout).toMatch(
      /alter default privileges for role "atc_owner" grant select on tables to "atc_readonly"/,
    );
    expect(printed.stdout).toMatch(/\\password trader/);
    expect(printed.stdout).not.toMatch(/canary-password-0123|SCRAM-SHA-256/);
  });

  it('the printed script runs as is (as psql would send it) and leaves the same privileges', async () => {
    const { owner: ownerName, app: appName, readonly: readonlyName } = roles.names;
    const printed = await atcCli(
      ['db', 'roles', '--print-sql', '--owner', ownerName, '--app', appName, '--readonly', readonlyName],
      {},
    );
    expect(printed.code).toBe(0);
    const other = await createTestDatabase();
    try {
      await other.pool.query(printed.stdout);
      const privileges = await other.pool.query<Record<string, boolean>>(
        `select has_table_privilege($1::text, 'atc.steps', 'UPDATE') as app_updates_steps,
                has_table_privilege($1::text, 'atc.audit_log', 'UPDATE') as app_updates_audit,
                has_schema_privilege($1::text, 'atc', 'CREATE') as app_creates,
                has_table_privilege($2::text, 'atc.steps', 'SELECT') as readonly_reads,
                has_table_privilege($2::text, 'atc.steps', 'INSERT') as readonly_inserts,
                (select nspowner::regrole::text from pg_namespace where nspname = 'atc') = $3::text as owner_owns`,
        [appName, readonlyName, ownerName],
      );
      expect(privileges.rows[0]).toEqual({
        app_updates_steps: true,
        app_updates_audit: false,
        app_creates: false,
        readonly_reads: true,
        readonly_inserts: false,
        owner_owns: true,
      });
    } finally {
      await other.drop();
    }
  });

  it.each([
    [['db', 'roles'], /usage: atc db roles --print-sql \| --apply/],
    [['db', 'roles', '--print-sql', '--apply'], /usage: atc db roles/],
    [['db', 'roles', '--print-sql', '--app', 'Robert"; drop table x'], /--app must be a lowercase role name/],
    [['db', 'roles', '--print-sql', '--app', 'same', '--owner', 'same'], /the three role names must differ/],
  ])('refuses %j with exit 2', async (args, message) => {
    const run = await atcCli(args, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('a second --apply changes nothing it should not, and the roles log in with the passwords it set', async () => {
    expect(await applyRoles(roles, db.url)).toMatchObject({ code: 0 });
    const who = await app.query<{ user: string }>('select current_user as user');
    expect(who.rows[0]!.user).toBe(roles.names.app);
    const schemaOwner = await db.pool.query<{ owner: string }>(
      `select nspowner::regrole::text as owner from pg_namespace where nspname = 'atc'`,
    );
    expect(schemaOwner.rows[0]!.owner).toBe(roles.names.owner);
    // Nothing in schema atc is left to the superuser that migrated it.
    const notOwned = await db.pool.query(
      `select relname from pg_class where relnamespace = 'atc'::regnamespace and relowner::regrole::text <> $1::text
       union all select proname from pg_proc where pronamespace = 'atc'::regnamespace and proowner::regrole::text <> $1::text`,
      [roles.names.owner],
    );
    expect(notOwned.rows).toEqual([]);
  });

  it.each([
    'create table atc.intruder (id int)',
    'create table public.intruder (id int)',
    'create temporary table intruder (id int)',
    'alter table atc.steps add column intruder int',
    'drop table atc.events',
    'create index intruder_idx on atc.steps (kind)',
    `create function atc.intruder() returns int language sql as 'select 1'`,
    'create schema intruder',
  ])('the app role may not run DDL: %s', async (sql) => {
    const refused = await refusal(app, sql);
    expect(refused.code).toBe('42501');
    expect(refused.message).toMatch(PERMISSION_DENIED);
  });

  it.each([
    'drop trigger audit_log_append_only on atc.audit_log',
    'alter table atc.audit_log disable trigger audit_log_append_only',
    'alter table atc.audit_log disable trigger all',
    'drop function atc.audit_log_refuse_change() cascade',
    'drop table atc.audit_log',
  ])('the app role may not touch the audit trigger or table: %s', async (sql) => {
    const refused = await refusal(app, sql);
    expect(refused.code).toBe('42501');
    expect(refused.message).toMatch(/must be owner/);
  });

  it('the app role may append to the audit log, but not change or delete a row: by privilege, before the trigger', async () => {
    await app.query(`select atc.append_audit('roles-test', 'roles.checked', 'test', '1', '{}'::jsonb)`);
    const rows = await app.query<{ n: number }>('select count(*)::int as n from atc.audit_log');
    expect(rows.rows[0]!.n).toBeGreaterThan(0);
    for (const sql of [
      `update atc.audit_log set actor = 'forger'`,
      'delete from atc.audit_log',
      'truncate atc.audit_log',
    ]) {
      const refused = await refusal(app, sql);
      // The trigger's message is 'atc.audit_log is append-only': this one is the privilege check's.
      expect([sql, refused.message]).toEqual([sql, 'permission denied for table audit_log']);
    }
    const privileges = await db.pool.query<{ update: boolean; delete: boolean; truncate: boolean }>(
      `select has_table_privilege($1::text, 'atc.audit_log', 'UPDATE') as update,
              has_table_privilege($1::text, 'atc.audit_log', 'DELETE') as delete,
              has_table_privilege($1::text, 'atc.audit_log', 'TRUNCATE') as truncate`,
      [roles.names.app],
    );
    expect(privileges.rows[0]).toEqual({ update: false, delete: false, truncate: false });
  });

  it.each(['truncate atc.steps', 'truncate atc.events, atc.orders cascade'])(
    'the app role may not TRUNCATE: %s',
    async (sql) => {
      expect((await refusal(app, sql)).message).toMatch(/permission denied for table/);
    },
  );

  it("the app role reads the migrator's bookkeeping (readiness) but cannot write it", async () => {
    const migrator = new Migrator({
      pool: app,
      directory: findMigrationsDirectory(),
      logger: silentLogger(),
    });
    expect(await migrator.schemaState()).toBe('current');
    const refused = await refusal(app, `delete from atc.schema_migrations where id = 12`);
    expect(refused.message).toBe('permission denied for table schema_migrations');
  });

  it('the read-only role can SELECT and cannot write, even in a read-write transaction', async () => {
    const counted = await readonly.query<{ n: number }>('select count(*)::int as n from atc.audit_log');
    expect(counted.rows[0]!.n).toBeGreaterThan(0);
    // Its sessions start read only (the role's setting)…
    const readOnly = await refusal(
      readonly,
      `insert into atc.schema_functions (name, checksum) values ('x', 'y')`,
    );
    expect(readOnly.code).toBe('25006');
    // …and a read-write transaction is still refused by privilege.
    const client = await readonly.connect();
    try {
      await client.query('begin read write');
      await expect(
        client.query(`insert into atc.schema_functions (name, checksum) values ('x', 'y')`),
      ).rejects.toThrow('permission denied for table schema_functions');
      await client.query('rollback');
      await client.query('begin read write');
      await expect(client.query(`update atc.steps set kind = kind`)).rejects.toThrow(
        'permission denied for table steps',
      );
      await client.query('rollback');
    } finally {
      client.release();
    }
  });

  it("a table a later migration creates (as the owner) gets the roles' grants by default", async () => {
    await owner.query('create table atc.roles_later (id int primary key, note text)');
    await app.query(`insert into atc.roles_later values (1, 'a')`);
    await app.query(`update atc.roles_later set note = 'b'`);
    expect((await readonly.query('select note from atc.roles_later')).rows).toEqual([{ note: 'b' }]);
    expect((await refusal(app, 'drop table atc.roles_later')).message).toMatch(/must be owner/);
    expect((await refusal(app, 'truncate atc.roles_later')).message).toMatch(/permission denied/);
    await owner.query('drop table atc.roles_later');
  });
});
