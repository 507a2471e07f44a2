import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger';
import { ConflictError, InputError } from '../errors';
import {
  baselineState,
  loadBaseline,
  migrationLabel,
  withBaselineRecorded,
  type AppliedMigration,
  type Baseline,
} from './baseline';
import { checksumOf } from './checksum';
import {
  applyFunctions,
  forgetAppliedFunctions,
  functionStatus,
  loadFunctionFiles,
  type FunctionFile,
  type FunctionStatus,
} from './repeatable-functions';

export { checksumOf };
export type { AppliedMigration, Baseline };

/**
 * Plain-SQL migrations: `NNNN_what_and_why.up.sql` with a matching `.down.sql`. Each runs in its own
 * transaction and is recorded in `atc.schema_migrations` with the checksum of its up file, so an edited,
 * already-applied migration is refused instead of silently diverging. Two migrators at once are safe:
 * the whole run holds a session advisory lock. After the versioned migrations, `up` to the newest one
 * applies the repeatable function definitions of `migrations/functions/` (see repeatable-functions.ts).
 * The oldest migrations may be squashed into a baseline (`baseline.json`, see baseline.ts).
 */
export interface MigrationFile {
  readonly id: number;
  readonly name: string;
  readonly upSql: string;
  readonly downSql: string;
  readonly checksum: string;
}

export interface MigrationStatus {
  readonly id: number;
  readonly name: string;
  readonly state: 'applied' | 'pending' | 'changed' | 'missing_file';
  readonly appliedAt: Date | null;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/;
// An arbitrary, fixed key: every migrator of every role contends for the same lock.
const MIGRATION_LOCK_KEY = 741_852_963;

/** The repository's migrations/ folder: the nearest one above `from` with a schema.sql snapshot. */
export function findMigrationsDirectory(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, 'schema.sql'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no migrations/ folder found above ${from}`);
    dir = parent;
  }
}

/**
 * The migration files of `directory` in order, numbered 0001, 0002, … or, when `baseline.json` names
 * a baseline, from the baseline on.
 */
export function loadMigrationFiles(directory: string): MigrationFile[] {
  const baseline = loadBaseline(directory);
  const firstId = baseline?.id ?? 1;
  const byId = new Map<number, { name: string; up?: string; down?: string }>();
  for (const file of readdirSync(directory)) {
    if (file === 'schema.sql' || !file.endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(file);
    if (!match)
      throw new InputError(`migration file ${file} is not named NNNN_name.up.sql or NNNN_name.down.sql`);
    const [, idText, name, direction] = match as unknown as [string, string, string, 'up' | 'down'];
    const id = Number(idText);
    const entry = byId.get(id) ?? { name };
    if (entry.name !== name)
      throw new InputError(`migration ${idText} has two names: ${entry.name} and ${name}`);
    entry[direction] = readFileSync(path.join(directory, file), 'utf8');
    byId.set(id, entry);
  }
  const ids = [...byId.keys()].sort((a, b) => a - b);
  if (baseline && ids[0] !== baseline.id)
    throw new InputError(
      `baseline.json names the baseline ${migrationLabel(baseline.id, baseline.name)}, which has no file`,
    );
  return ids.map((id, index) => {
    const entry = byId.get(id)!;
    if (id !== firstId + index) {
      const first = migrationLabel(firstId, baseline?.name ?? 'name');
      throw new InputError(`migrations must be numbered from ${first} on, without gaps; found ${id}`);
    }
    if (baseline && id === baseline.id && entry.name !== baseline.name)
      throw new InputError(
        `baseline.json names the baseline ${migrationLabel(baseline.id, baseline.name)}, ` +
          `but migration ${id} is named ${entry.name}`,
      );
    if (entry.up === undefined) throw new InputError(`migration ${id} (${entry.name}) has no .up.sql`);
    if (entry.down === undefined) throw new InputError(`migration ${id} (${entry.name}) has no .down.sql`);
    return { id, name: entry.name, upSql: entry.up, downSql: entry.down, checksum: checksumOf(entry.up) };
  });
}

async function readApplied(client: PoolClient): Promise<AppliedMigration[]> {
  // The bookkeeping table is created by the first migration and dropped by its down: it may not exist.
  const exists = await client.query<{ present: boolean }>(
    `select to_regclass('atc.schema_migrations') is not null as present`,
  );
  if (!exists.rows[0]?.present) return [];
  const result = await client.query<{ id: number; name: string; checksum: string; applied_at: Date }>(
    'select id, name, checksum, applied_at from atc.schema_migrations order by id',
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at,
  }));
}

export interface MigratorOptions {
  readonly pool: Pool;
  readonly directory: string;
  readonly logger: Logger;
  /** The repeatable function definitions; `functions/` inside `directory` unless given. */
  readonly functionsDirectory?: string;
}

export class Migrator {
  private readonly files: MigrationFile[];
  private readonly functionFiles: FunctionFile[];
  private readonly baseline: Baseline | undefined;

  constructor(private readonly options: MigratorOptions) {
    this.baseline = loadBaseline(options.directory);
    this.files = loadMigrationFiles(options.directory);
    this.functionFiles = loadFunctionFiles(
      options.functionsDirectory ?? path.join(options.directory, 'functions'),
    );
  }

  get latestId(): number {
    return this.files.at(-1)?.id ?? 0;
  }

  async status(): Promise<MigrationStatus[]> {
    return this.locked(async (client) => this.describe(await this.appliedRows(client, 'read')));
  }

  /** Each function file of `migrations/functions/`: applied as it is now, pending, or changed since. */
  async functionStatus(): Promise<FunctionStatus[]> {
    return this.locked(async (client) => functionStatus(client, this.functionFiles));
  }

  /**
   * How the database's schema stands against this code (readiness uses this):
   * - `current`: every migration and function file applied, checksums unchanged;
   * - `ahead`: every migration this code knows is applied, and newer ones too — a newer release has
   *   migrated (mid rolling upgrade); its functions may differ from this code's files;
   * - `behind`: a migration or function of this code is not applied as written (run `atc migrate up`),
   *   or the database is one this code refuses to migrate.
   */
  async schemaState(): Promise<'current' | 'ahead' | 'behind'> {
    const client = await this.options.pool.connect();
    try {
      const applied = await this.appliedRows(client, 'read').catch((error: unknown) => {
        // A database this code refuses to migrate (see baseline.ts) is not usable by it either.
        if (error instanceof ConflictError) return undefined;
        throw error;
      });
      if (applied === undefined) return 'behind';
      const rows = this.describe(applied);
      if (rows.some((row) => row.state === 'pending' || row.state === 'changed')) return 'behind';
      if (rows.some((row) => row.state === 'missing_file')) return 'ahead';
      const functions = await functionStatus(client, this.functionFiles);
      return functions.every((row) => row.state === 'applied') ? 'current' : 'behind';
    } finally {
      client.release();
    }
  }

  /** True when every migration file and every function file is applied with an unchanged checksum. */
  async isCurrent(): Promise<boolean> {
    return (await this.schemaState()) === 'current';
  }

  /**
   * Applies pending migrations up to `target` (default: all), then, when `target` is the newest
   * migration, the function files whose checksum changed. Returns the migration ids applied.
   */
  async up(target: number = this.latestId): Promise<number[]> {
    if (target > this.latestId)
      throw new InputError(`there is no migration ${target}; the latest is ${this.latestId}`);
    this.refuseTargetInsideBaseline(target);
    return this.locked(async (client) => {
      const applied = await this.appliedRows(client, 'record');
      this.verifyChecksums(applied);
      const appliedIds = new Set(applied.map((m) => m.id));
      const done: number[] = [];
      for (const file of this.files) {
        if (file.id > target || appliedIds.has(file.id)) continue;
        await this.inTransaction(client, async () => {
          await client.query(file.upSql);
          await client.query(
            'insert into atc.schema_migrations (id, name, checksum) values ($1::int, $2::text, $3::text)',
            [file.id, file.name, file.checksum],
          );
        });
        this.options.logger.info({ migrationId: file.id, migration: file.name }, 'migration applied');
        done.push(file.id);
      }
      if (target === this.latestId) await applyFunctions(client, this.functionFiles, this.options.logger);
      return done;
    });
  }

  /** Reverts applied migrations above `target`, newest first. `target` 0 reverts everything. */
  async down(target: number): Promise<number[]> {
    if (target < 0) throw new InputError('the target of down must be 0 or more');
    this.refuseTargetInsideBaseline(target);
    return this.locked(async (client) => {
      const applied = await this.appliedRows(client, 'record');
      this.verifyChecksums(applied);
      const done: number[] = [];
      for (const migration of [...applied].reverse()) {
        if (migration.id <= target) break;
        const file = this.files.find((f) => f.id === migration.id)!;
        await this.inTransaction(client, async () => {
          await client.query(file.downSql);
          // The first migration's down drops the bookkeeping table along with the schema.
          const remaining = await client.query<{ present: boolean }>(
            `select to_regclass('atc.schema_migrations') is not null as present`,
          );
          if (remaining.rows[0]?.present) {
            await client.query('delete from atc.schema_migrations where id = $1::int', [file.id]);
          }
        });
        this.options.logger.info({ migrationId: file.id, migration: file.name }, 'migration reverted');
        done.push(file.id);
      }
      // Older down files redefine functions; the next `up` to the newest migration re-applies them all.
      if (done.length > 0) await forgetAppliedFunctions(client);
      return done;
    });
  }

  /** Reverts the newest applied migration and applies it again: proves its down matches its up. */
  async redo(): Promise<number | undefined> {
    const applied = (await this.status()).filter((m) => m.state === 'applied');
    const newest = applied.at(-1);
    if (!newest) return undefined;
    await this.down(applied.at(-2)?.id ?? 0);
    await this.up(newest.id);
    return newest.id;
  }

  /**
   * The rows of `atc.schema_migrations`. A database with every migration the baseline replaces is
   * read as at the baseline; `record` also rewrites its rows so (the caller holds the advisory lock).
   */
  private async appliedRows(client: PoolClient, mode: 'read' | 'record'): Promise<AppliedMigration[]> {
    const applied = await readApplied(client);
    const baseline = this.baseline;
    if (!baseline || baselineState(baseline, applied) === 'none') return applied;
    const recorded = withBaselineRecorded(baseline, this.files[0]!.checksum, applied);
    if (mode === 'read') return recorded;
    const row = recorded[0]!;
    await this.inTransaction(client, async () => {
      await client.query('delete from atc.schema_migrations where id <= $1::int', [baseline.id]);
      await client.query(
        `insert into atc.schema_migrations (id, name, checksum, applied_at)
         values ($1::int, $2::text, $3::text, $4::timestamptz)`,
        [row.id, row.name, row.checksum, row.appliedAt],
      );
    });
    this.options.logger.info(
      { migrationId: baseline.id, migration: baseline.name, replaced: baseline.replaces.length },
      'migrations the baseline replaces recorded as the baseline',
    );
    return readApplied(client);
  }

  /** Migrations inside a baseline no longer exist one by one: a target is 0 or the baseline on. */
  private refuseTargetInsideBaseline(target: number): void {
    const baseline = this.baseline;
    if (!baseline || target === 0 || target >= baseline.id) return;
    throw new InputError(
      `migrations 0001–${String(baseline.id).padStart(4, '0')} are squashed into ` +
        `${migrationLabel(baseline.id, baseline.name)}: the target must be 0 or ${baseline.id} or later, ` +
        `not ${target}`,
    );
  }

  private describe(applied: readonly AppliedMigration[]): MigrationStatus[] {
    const byId = new Map(applied.map((m) => [m.id, m]));
    const rows: MigrationStatus[] = this.files.map((file) => {
      const record = byId.get(file.id);
      if (!record) return { id: file.id, name: file.name, state: 'pending', appliedAt: null };
      return {
        id: file.id,
        name: file.name,
        state: record.checksum === file.checksum ? 'applied' : 'changed',
        appliedAt: record.appliedAt,
      };
    });
    for (const record of applied) {
      if (!this.files.some((f) => f.id === record.id)) {
        rows.push({ id: record.id, name: record.name, state: 'missing_file', appliedAt: record.appliedAt });
      }
    }
    return rows;
  }

  private verifyChecksums(applied: readonly AppliedMigration[]): void {
    for (const row of this.describe(applied)) {
      if (row.state === 'changed') {
        throw new ConflictError(
          `migration ${String(row.id).padStart(4, '0')}_${row.name} was applied, and its file has changed since. ` +
            'A merged migration is never edited: restore the file and add a new migration instead.',
        );
      }
      if (row.state === 'missing_file') {
        throw new ConflictError(
          `migration ${row.id} (${row.name}) is applied in the database but has no file here; ` +
            'this code is older than the database.',
        );
      }
    }
  }

  private async inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
    await client.query('begin');
    try {
      await work();
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  }

  private async locked<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.options.pool.connect();
    try {
      // Migrations may legitimately run for a long time (an index build); lift the pool's limit here.
      await client.query('set statement_timeout = 0');
      await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      try {
        return await work(client);
      } finally {
        await client.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }
}
