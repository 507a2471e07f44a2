import { readFileSync, readdirSync, writeFileSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../testing';
import { migrationsCheck } from '../admin-server';
import { silentLogger } from '../logger';
import { findMigrationsDirectory, loadMigrationFiles, Migrator } from './migrations';
import { dumpSchema } from './schema-dump';

const migrationsDirectory = findMigrationsDirectory(__dirname);
const snapshot = readFileSync(path.join(migrationsDirectory, 'schema.sql'), 'utf8');

describe('migrations', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('up from empty matches the checked-in schema.sql, and down to 0 then up again is identical', async () => {
    const migrator = new Migrator({
      pool: database.pool,
      directory: migrationsDirectory,
      logger: silentLogger(),
    });
    await migrator.up();
    expect(await dumpSchema(database.url)).toBe(snapshot);
    expect(await migrator.isCurrent()).toBe(true);

    await migrator.down(0);
    const schemas = await database.pool.query(`select 1 from pg_namespace where nspname = 'atc'`);
    expect(schemas.rowCount).toBe(0);

    await migrator.up();
    expect(await dumpSchema(database.url)).toBe(snapshot);
  });

  it('every migration reverts cleanly one step at a time (redo from the top down)', async () => {
    const migrator = new Migrator({
      pool: database.pool,
      directory: migrationsDirectory,
      logger: silentLogger(),
    });
    await migrator.up();
    // Each migration below the newest, then 0 (migrations squashed into the baseline are not targets).
    const ids = (await migrator.status()).map((m) => m.id);
    for (const target of [...ids.slice(0, -1).reverse(), 0]) {
      await migrator.down(target);
      const status = await migrator.status();
      expect(status.filter((m) => m.state === 'applied').map((m) => m.id)).toEqual(
        status.filter((m) => m.id <= target).map((m) => m.id),
      );
    }
    await migrator.up();
    expect(await dumpSchema(database.url)).toBe(snapshot);
  });

  it('refuses to run when an applied migration file has changed, naming it', async () => {
    const edited = mkdtempSync(path.join(tmpdir(), 'atc-migrations-'));
    try {
      cpSync(migrationsDirectory, edited, { recursive: true });
      await new Migrator({ pool: database.pool, directory: edited, logger: silentLogger() }).up();
      const firstFile = readdirSync(edited)
        .filter((file) => file.endsWith('.up.sql'))
        .sort()[0]!;
      const first = path.join(edited, firstFile);
      writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- an edit after merge\n`);
      const migrator = new Migrator({ pool: database.pool, directory: edited, logger: silentLogger() });
      await expect(migrator.up()).rejects.toThrow(
        new RegExp(`${firstFile.replace('.up.sql', '')} was applied, and its file has changed`),
      );
      expect(await migrator.isCurrent()).toBe(false);
    } finally {
      rmSync(edited, { recursive: true, force: true });
    }
  });

  it('applies a changed function file once, and the next up leaves it', async () => {
    const functions = mkdtempSync(path.join(tmpdir(), 'atc-functions-'));
    try {
      cpSync(path.join(migrationsDirectory, 'functions'), functions, { recursive: true });
      const migratorWith = () =>
        new Migrator({
          pool: database.pool,
          directory: migrationsDirectory,
          functionsDirectory: functions,
          logger: silentLogger(),
        });
      const rollUp = async () => {
        const result = await database.pool.query<{ status: string }>(
          `select atc.mission_status_from_steps(array['succeeded', 'dead']) as status`,
        );
        return result.rows[0]!.status;
      };
      await migratorWith().up();
      expect(await rollUp()).toBe('failed');

      // A change to a queue function is a change to its one file.
      const file = path.join(functions, 'mission_status_from_steps.sql');
      const original = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        original.replace("array['failed', 'dead'] then 'failed'", "array['failed'] then 'failed'"),
      );
      const edited = migratorWith();
      expect(await edited.isCurrent()).toBe(false);
      expect((await edited.functionStatus()).find((f) => f.name === 'mission_status_from_steps')?.state).toBe(
        'changed',
      );
      expect(await edited.up()).toEqual([]);
      expect(await rollUp()).toBe('succeeded');
      expect(await edited.isCurrent()).toBe(true);
      expect(await dumpSchema(database.url)).not.toBe(snapshot);

      // Unchanged checksums are not applied again: a definition put in by hand survives the next up.
      await database.pool.query(
        `create or replace function atc.mission_status_from_steps(statuses text[]) returns text
         language sql immutable as $$ select 'by hand' $$`,
      );
      await migratorWith().up();
      expect(await rollUp()).toBe('by hand');

      // Restoring the file restores the definition, and the schema is the checked-in one again.
      writeFileSync(file, original);
      await migratorWith().up();
      expect(await rollUp()).toBe('failed');
      expect(await dumpSchema(database.url)).toBe(snapshot);
    } finally {
      rmSync(functions, { recursive: true, force: true });
    }
  });

  it('after a down, the next up to the newest migration applies every function file again', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'atc-migrations-'));
    try {
      cpSync(migrationsDirectory, copy, { recursive: true });
      const migrator = new Migrator({ pool: database.pool, directory: copy, logger: silentLogger() });
      // A later migration that keeps atc.schema_functions when it is reverted.
      const next = String(migrator.latestId + 1).padStart(4, '0');
      writeFileSync(
        path.join(copy, `${next}_later_change.up.sql`),
        `create table atc.later_change (id int);\n`,
      );
      writeFileSync(path.join(copy, `${next}_later_change.down.sql`), `drop table atc.later_change;\n`);
      const later = new Migrator({ pool: database.pool, directory: copy, logger: silentLogger() });
      await later.up();
      // Stands for an older down file that redefines a function.
      await database.pool.query(
        `create or replace function atc.mission_status_from_steps(statuses text[]) returns text
         language sql immutable as $$ select 'older' $$`,
      );
      await later.down(later.latestId - 1);
      expect(new Set((await later.functionStatus()).map((f) => f.state))).toEqual(new Set(['pending']));
      await later.up();
      const result = await database.pool.query<{ status: string }>(
        `select atc.mission_status_from_steps(array['succeeded', 'dead']) as status`,
      );
      expect(result.rows[0]!.status).toBe('failed');
      expect(new Set((await later.functionStatus()).map((f) => f.state))).toEqual(new Set(['applied']));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a release whose schema a newer release migrated stays ready (ahead); a missing migration is behind', async () => {
    const newer = mkdtempSync(path.join(tmpdir(), 'atc-migrations-'));
    try {
      cpSync(migrationsDirectory, newer, { recursive: true });
      const current = new Migrator({
        pool: database.pool,
        directory: migrationsDirectory,
        logger: silentLogger(),
      });
      const check = migrationsCheck(current);
      expect(await current.schemaState()).toBe('behind');
      const behind = await check();
      expect(behind.ok).toBe(false);
      expect(behind.detail).toMatch(/behind/);
      await current.up();
      expect(await current.schemaState()).toBe('current');
      expect(await check()).toEqual({ ok: true });
      // The next release adds a migration and changes a function, and migrates first (a rolling upgrade).
      const next = String(current.latestId + 1).padStart(4, '0');
      writeFileSync(
        path.join(newer, `${next}_next_release.up.sql`),
        'create table atc.next_release (id int);\n',
      );
      writeFileSync(path.join(newer, `${next}_next_release.down.sql`), 'drop table atc.next_release;\n');
      const functionFile = path.join(newer, 'functions', 'mission_status_from_steps.sql');
      writeFileSync(functionFile, `${readFileSync(functionFile, 'utf8')}\n-- next release\n`);
      await new Migrator({ pool: database.pool, directory: newer, logger: silentLogger() }).up();
      expect(await current.schemaState()).toBe('ahead');
      const ahead = await check();
      expect(ahead.ok).toBe(true);
      expect(ahead.detail).toMatch(/ahead/);
      expect(await current.isCurrent()).toBe(false);
    } finally {
      rmSync(newer, { recursive: true, force: true });
    }
  });

  it('two migrators at once apply each migration exactly once', async () => {
    const pools = [database.createPool(2), database.createPool(2)];
    const results = await Promise.all(
      pools.map((pool) =>
        new Migrator({ pool, directory: migrationsDirectory, logger: silentLogger() }).up(),
      ),
    );
    expect(results.flat().sort((a, b) => a - b)).toEqual(
      loadMigrationFiles(migrationsDirectory).map((file) => file.id),
    );
    const rows = await database.pool.query<{ count: string }>(
      'select count(*) as count from atc.schema_migrations',
    );
    expect(Number(rows.rows[0]!.count)).toBe(results.flat().length);
  });
});
