/**
 * Repeatable SQL functions, as Flyway's `R__` migrations: `migrations/functions/<name>.sql` holds the
 * current definition of `atc.<name>` (`create or replace function`), and is the only place it is
 * written. The migrator applies the files after the versioned migrations, once the database is at
 * the newest one, and records each file's checksum in `atc.schema_functions` (created by the
 * baseline migration); a file is applied again only when its checksum changes. All changed files of a
 * run apply in one transaction, in name order. The baseline declares every function with a
 * placeholder body that the files replace. A down migration forgets the records, so the next full
 * `up` re-applies every file over whatever the older migrations left behind.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PoolClient } from 'pg';
import type { Logger } from '../logger';
import { InputError } from '../errors';
import { checksumOf } from './checksum';

export interface FunctionFile {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface FunctionStatus {
  readonly name: string;
  readonly state: 'applied' | 'pending' | 'changed' | 'missing_file';
  readonly appliedAt: Date | null;
}

interface AppliedFunction {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

const FUNCTION_FILE_PATTERN = /^([a-z][a-z0-9_]*)\.sql$/;

/** The function files of `directory` in name order; none when the directory does not exist. */
export function loadFunctionFiles(directory: string): FunctionFile[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .sort()
    .map((file) => {
      const match = FUNCTION_FILE_PATTERN.exec(file);
      if (!match) throw new InputError(`function file ${file} is not named <function_name>.sql`);
      const sql = readFileSync(path.join(directory, file), 'utf8');
      const name = match[1]!;
      if (!new RegExp(`create or replace function atc\\.${name}\\(`, 'i').test(sql)) {
        throw new InputError(
          `function file ${file} must define its function with "create or replace function atc.${name}("`,
        );
      }
      return { name, sql, checksum: checksumOf(sql) };
    });
}

async function bookkeepingExists(client: PoolClient): Promise<boolean> {
  const result = await client.query<{ present: boolean }>(
    `select to_regclass('atc.schema_functions') is not null as present`,
  );
  return result.rows[0]?.present === true;
}

async function readAppliedFunctions(client: PoolClient): Promise<AppliedFunction[]> {
  if (!(await bookkeepingExists(client))) return [];
  const result = await client.query<{ name: string; checksum: string; applied_at: Date }>(
    'select name, checksum, applied_at from atc.schema_functions order by name',
  );
  return result.rows.map((row) => ({ name: row.name, checksum: row.checksum, appliedAt: row.applied_at }));
}

function describe(files: readonly FunctionFile[], applied: readonly AppliedFunction[]): FunctionStatus[] {
  const byName = new Map(applied.map((f) => [f.name, f]));
  const rows: FunctionStatus[] = files.map((file) => {
    const record = byName.get(file.name);
    if (!record) return { name: file.name, state: 'pending', appliedAt: null };
    const state = record.checksum === file.checksum ? 'applied' : 'changed';
    return { name: file.name, state, appliedAt: record.appliedAt };
  });
  for (const record of applied) {
    if (!files.some((f) => f.name === record.name)) {
      rows.push({ name: record.name, state: 'missing_file', appliedAt: record.appliedAt });
    }
  }
  return rows;
}

export async function functionStatus(
  client: PoolClient,
  files: readonly FunctionFile[],
): Promise<FunctionStatus[]> {
  return describe(files, await readAppliedFunctions(client));
}

/**
 * Applies the files whose checksum differs from the recorded one (or that were never applied), in
 * one transaction, and forgets records of removed files (dropping a function is a versioned
 * migration's job). Returns the names applied. The caller holds the migrator's advisory lock.
 */
export async function applyFunctions(
  client: PoolClient,
  files: readonly FunctionFile[],
  logger: Logger,
): Promise<string[]> {
  const rows = await functionStatus(client, files);
  const stale = rows.filter((row) => row.state !== 'applied');
  if (stale.length === 0) return [];
  const applied: string[] = [];
  await client.query('begin');
  try {
    for (const row of stale) {
      if (row.state === 'missing_file') {
        await client.query('delete from atc.schema_functions where name = $1::text', [row.name]);
        continue;
      }
      const file = files.find((f) => f.name === row.name)!;
      await client.query(file.sql);
      await client.query(
        `insert into atc.schema_functions (name, checksum) values ($1::text, $2::text)
         on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
        [file.name, file.checksum],
      );
      applied.push(file.name);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  for (const name of applied) logger.info({ function: name }, 'function definition applied');
  return applied;
}

/** After a down migration: the older migrations may have redefined functions, so apply all again. */
export async function forgetAppliedFunctions(client: PoolClient): Promise<void> {
  if (await bookkeepingExists(client)) await client.query('delete from atc.schema_functions');
}
