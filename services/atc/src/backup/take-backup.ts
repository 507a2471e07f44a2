/**
 * `atc backup`: one consistent logical backup. A read-only repeatable-read transaction exports its
 * snapshot; the manifest's facts are read in that transaction and pg_dump reads the same snapshot
 * (`--snapshot`), so on a live database the row counts and the audit head describe exactly the rows
 * in the dump. The dump is written under a temporary name and renamed when complete; the manifest
 * follows it.
 * @module
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ATC_VERSION, InputError, type Pool } from '@atc/platform';
import {
  MANIFEST_FORMAT,
  manifestPathOf,
  readDatabaseFacts,
  sha256OfFile,
  type BackupManifest,
} from './backup-manifest';
import { runPgDump } from './pg-tools';

const GENERATED_NAME = /^atc-\d{8}T\d{6}Z\.dump$/;

/** `--out`: a file, or a directory (existing, or written with a trailing `/`) for a time-stamped name. */
export function resolveBackupPath(out: string, now: Date): string {
  const isDirectory = out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  if (!isDirectory) return out;
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(out, `atc-${stamp}.dump`);
}

export function parseKeep(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value))
    throw new InputError(`--keep must be a whole number of backups ≥ 1, got "${value}"`);
  return Number(value);
}

export async function takeBackup(options: {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly file: string;
  readonly pgDumpPath: string;
  readonly now: Date;
}): Promise<BackupManifest> {
  const partial = `${options.file}.partial`;
  const client = await options.pool.connect();
  try {
    // The snapshot lives as long as this transaction: it stays open until pg_dump has finished.
    await client.query('begin transaction isolation level repeatable read read only');
    // A server-wide idle-in-transaction timeout must not end the snapshot while pg_dump still needs it.
    await client.query('set local idle_in_transaction_session_timeout = 0');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const facts = await readDatabaseFacts(client);
    await runPgDump({
      databaseUrl: options.databaseUrl,
      file: partial,
      snapshot,
      pgDumpPath: options.pgDumpPath,
    });
    await client.query('commit');
    renameSync(partial, options.file);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt: options.now.toISOString(),
      atcVersion: ATC_VERSION,
      dump: {
        file: path.basename(options.file),
        bytes: statSync(options.file).size,
        sha256: await sha256OfFile(options.file),
      },
      ...facts,
    };
    const manifestFile = manifestPathOf(options.file);
    writeFileSync(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(`${manifestFile}.partial`, manifestFile);
    return manifest;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Retention on a volume: keeps the newest `keep` time-stamped backups (`atc-<UTC time>.dump` and their
 * manifests) in `directory` and removes the older ones. Files of any other name are never touched.
 */
export function pruneBackups(directory: string, keep: number): string[] {
  const dumps = readdirSync(directory)
    .filter((name) => GENERATED_NAME.test(name))
    .sort()
    .reverse();
  const removed = dumps.slice(keep);
  for (const name of removed) {
    rmSync(path.join(directory, name), { force: true });
    rmSync(manifestPathOf(path.join(directory, name)), { force: true });
  }
  return removed;
}
