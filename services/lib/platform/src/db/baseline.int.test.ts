import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../testing';
import { silentLogger } from '../logger';
import { loadBaseline } from './baseline';
import { findMigrationsDirectory, loadMigrationFiles, Migrator } from './migrations';
import { dumpSchema } from './schema-dump';

const migrationsDirectory = findMigrationsDirectory(__dirname);
// Migrations 0001–0012 as they were merged, before the baseline replaced them, with the function
// files of that release (the new tree applies the ones that have changed since).
const preBaselineDirectory = path.join(__dirname, 'testing', 'pre-baseline-migrations');
const snapshot = readFileSync(path.join(migrationsDirectory, 'schema.sql'), 'utf8');
const baseline = loadBaseline(migrationsDirectory)!;
const baselineFile = loadMigrationFiles(migrationsDirectory)[0]!;
const idsAfterBaseline = loadMigrationFiles(migrationsDirectory)
  .map((file) => file.id)
  .filter((id) => id > baseline.id);

function migratorOf(database: TestDatabase, directory: string = migrationsDirectory): Migrator {
  return new Migrator({ pool: database.pool, directory, logger: silentLogger() });
}

async function recorded(database: TestDatabase): Promise<{ id: number; name: string; checksum: string }[]> {
  const result = await database.pool.query<{ id: number; name: string; checksum: string }>(
    'select id, name, checksum from atc.schema_migrations order by id',
  );
  return result.rows;
}

/** What the migrations write besides the schema: the halts policy row and the policy version. */
async function seededData(database: TestDatabase): Promise<unknown> {
  const policies = await database.pool.query(
    'select key, value, version, updated_by from atc.policies order by key',
  );
  const sequence = await database.pool.query('select last_value, is_called from atc.policy_version_seq');
  return { policies: policies.rows, sequence: sequence.rows };
}

describe('the baseline migration', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('replaces 0001–0012: a fresh database runs it, records it as one migration, and has schema.sql', async () => {
    expect(baseline).toMatchObject({ id: 12, name: 'baseline' });
    expect(baseline.replaces.map((m) => m.id)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const migrator = migratorOf(database);
    expect(await migrator.up()).toEqual([baseline.id, ...idsAfterBaseline]);
    expect((await recorded(database))[0]).toEqual({
      id: 12,
      name: 'baseline',
      checksum: baselineFile.checksum,
    });
    expect(await dumpSchema(database.url)).toBe(snapshot);
    expect(await migrator.isCurrent()).toBe(true);
  });

  it('is recorded, without running anything, in a database the old 0001–0012 migrated', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      await migratorOf(fresh).up();
      const old = migratorOf(database, preBaselineDirectory);
      await old.up();
      expect((await recorded(database)).map((row) => row.id)).toEqual(baseline.replaces.map((m) => m.id));
      const before = await database.pool.query<{ applied_at: Date }>(
        'select max(applied_at) as applied_at from atc.schema_migrations',
      );
      // Work done before the upgrade survives it: nothing is re-created.
      await database.pool.query(`insert into atc.events (type, payload) values ('kept', '{}')`);

      const migrator = migratorOf(database);
      // Read-only status already sees the baseline; up records it and runs only what follows it.
      expect((await migrator.status())[0]).toMatchObject({ id: 12, name: 'baseline', state: 'applied' });
      expect(await migrator.up()).toEqual(idsAfterBaseline);
      const rows = await database.pool.query<{
        id: number;
        name: string;
        checksum: string;
        applied_at: Date;
      }>('select id, name, checksum, applied_at from atc.schema_migrations where id <= 12');
      expect(rows.rows).toEqual([
        { id: 12, name: 'baseline', checksum: baselineFile.checksum, applied_at: before.rows[0]!.applied_at },
      ]);
      expect(await migrator.isCurrent()).toBe(true);
      const kept = await database.pool.query(`select 1 from atc.events where type = 'kept'`);
      expect(kept.rowCount).toBe(1);

      expect(await dumpSchema(database.url)).toBe(snapshot);
      expect(await dumpSchema(database.url)).toBe(await dumpSchema(fresh.url));
      expect(await seededData(database)).toEqual(await seededData(fresh));

      // Recorded once: the next up has nothing to do, and the baseline reverts like a fresh one.
      expect(await migrator.up()).toEqual([]);
      expect(await migrator.down(0)).toEqual([...idsAfterBaseline].reverse().concat(baseline.id));
      const schemas = await database.pool.query(`select 1 from pg_namespace where nspname = 'atc'`);
      expect(schemas.rowCount).toBe(0);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a database with only some of 0001–0012, saying to upgrade with an older release', async () => {
    await migratorOf(database, preBaselineDirectory).up(5);
    const migrator = migratorOf(database);
    const message =
      /has 5 of the 12 migrations that 0012_baseline replaces \(missing: 0006_heartbeat_phases_state, .*0012_repeatable_functions\)\. Upgrade it first with an older release/;
    await expect(migrator.up()).rejects.toThrow(message);
    await expect(migrator.status()).rejects.toThrow(message);
    expect(await migrator.isCurrent()).toBe(false);
    expect((await recorded(database)).map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a database where a migration it replaces was applied with another checksum', async () => {
    const edited = mkdtempSync(path.join(tmpdir(), 'atc-pre-baseline-'));
    try {
      cpSync(preBaselineDirectory, edited, { recursive: true });
      const file = path.join(edited, '0003_audit_hash_in_sql.up.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit after merge\n`);
      await migratorOf(database, edited).up();
      const migrator = migratorOf(database);
      await expect(migrator.up()).rejects.toThrow(
        /migration 0003_audit_hash_in_sql was applied, and its file has changed since/,
      );
      expect(await migrator.isCurrent()).toBe(false);
      expect(await recorded(database)).toHaveLength(12);
    } finally {
      rmSync(edited, { recursive: true, force: true });
    }
  });

  it('is reverted to an empty database, and up and down take no target inside it', async () => {
    const migrator = migratorOf(database);
    await migrator.up();
    await expect(migrator.down(5)).rejects.toThrow(
      /migrations 0001–0012 are squashed into 0012_baseline: the target must be 0 or 12 or later, not 5/,
    );
    await expect(migrator.up(11)).rejects.toThrow(/squashed into 0012_baseline/);
    await migrator.down(0);
    const objects = await database.pool.query(
      `select 1 from pg_namespace where nspname = 'atc'
       union all select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`,
    );
    expect(objects.rowCount).toBe(0);
  });

  it('declares the functions with placeholders the function files replace once at the newest migration', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'atc-migrations-'));
    try {
      cpSync(migrationsDirectory, copy, { recursive: true });
      const next = String(loadMigrationFiles(copy).at(-1)!.id + 1).padStart(4, '0');
      // A later migration that names a function, as a signature change drops the old one.
      writeFileSync(
        path.join(copy, `${next}_later_change.up.sql`),
        'drop function atc.mission_status_from_steps(text[]);\n',
      );
      writeFileSync(path.join(copy, `${next}_later_change.down.sql`), 'select 1;\n');
      const migrator = migratorOf(database, copy);
      await migrator.up(baseline.id);
      await expect(
        database.pool.query(`select atc.mission_status_from_steps(array['succeeded']) as status`),
      ).rejects.toThrow(
        'atc.mission_status_from_steps is a placeholder: the migrator defines it from migrations/functions/mission_status_from_steps.sql',
      );
      await migrator.up();
      const result = await database.pool.query<{ status: string }>(
        `select atc.mission_status_from_steps(array['succeeded', 'dead']) as status`,
      );
      expect(result.rows[0]!.status).toBe('failed');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
