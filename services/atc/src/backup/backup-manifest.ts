/**
 * The manifest of a backup, written beside the dump as `<dump>.manifest.json`: what the database
 * held when it was dumped (schema version, exact row counts per table, the audit chain's head) and
 * the dump file's size and SHA-256. `atc restore` checks the file against it before restoring and the
 * restored database against it after.
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { InputError, type Queryable } from '@atc/platform';
import {
  selectAppliedMigrations,
  selectAuditHead,
  selectTableRowCounts,
  type AuditHead,
} from './backup-manifest.queries';

export const MANIFEST_FORMAT = 'atc-backup/1';

const DatabaseFactsSchema = z.object({
  /** The newest applied migration's id (0 when none). */
  schemaVersion: z.number().int().nonnegative(),
  migrations: z.array(z.object({ id: z.number().int(), name: z.string(), checksum: z.string() })),
  tables: z.record(z.string(), z.number().int().nonnegative()),
  audit: z.object({
    rows: z.number().int().nonnegative(),
    headId: z.string().nullable(),
    headHash: z.string().nullable(),
  }),
});
export type DatabaseFacts = z.infer<typeof DatabaseFactsSchema>;

export const BackupManifestSchema = DatabaseFactsSchema.extend({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.string(),
  atcVersion: z.string(),
  dump: z.object({
    /** The dump's file name (the manifest sits beside it). */
    file: z.string(),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export function manifestPathOf(dumpPath: string): string {
  return `${dumpPath}.manifest.json`;
}

/** What the manifest records, read from `db` (inside the dump's snapshot when backing up). */
export async function readDatabaseFacts(db: Queryable): Promise<DatabaseFacts> {
  const migrations = await selectAppliedMigrations(db);
  const tables = await selectTableRowCounts(db);
  const audit: AuditHead = await selectAuditHead(db);
  return { schemaVersion: migrations.at(-1)?.id ?? 0, migrations, tables, audit };
}

/** Every way `actual` differs from what the manifest recorded, one sentence each (empty: identical). */
export function compareFacts(expected: DatabaseFacts, actual: DatabaseFacts): string[] {
  const problems: string[] = [];
  if (expected.schemaVersion !== actual.schemaVersion) {
    problems.push(`schema version is ${actual.schemaVersion}, the backup's is ${expected.schemaVersion}`);
  }
  const checksums = new Map(actual.migrations.map((m) => [m.id, m.checksum]));
  for (const migration of expected.migrations) {
    const checksum = checksums.get(migration.id);
    if (checksum === undefined)
      problems.push(`migration ${migration.id} (${migration.name}) is not recorded`);
    else if (checksum !== migration.checksum) problems.push(`migration ${migration.id} has another checksum`);
  }
  const tables = new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)]);
  for (const table of [...tables].sort()) {
    const want = expected.tables[table];
    const got = actual.tables[table];
    if (want === undefined) problems.push(`table atc.${table} is not in the backup`);
    else if (got === undefined) problems.push(`table atc.${table} is missing`);
    else if (want !== got) problems.push(`atc.${table} has ${got} rows, the backup has ${want}`);
  }
  if (expected.audit.headHash !== actual.audit.headHash || expected.audit.headId !== actual.audit.headId) {
    problems.push(
      `the audit chain's head is row ${actual.audit.headId ?? 'none'} (${actual.audit.headHash ?? 'empty'}), ` +
        `the backup's is row ${expected.audit.headId ?? 'none'} (${expected.audit.headHash ?? 'empty'})`,
    );
  }
  return problems;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads and validates `<dump>.manifest.json`; an InputError naming the file and the bad field otherwise. */
export function readManifest(dumpPath: string): BackupManifest {
  const file = manifestPathOf(dumpPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read the backup's manifest (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(`${file}: not JSON`);
  }
  const result = BackupManifestSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** The dump file is the one the manifest describes: same size, same SHA-256. */
export async function checkDumpFile(dumpPath: string, manifest: BackupManifest): Promise<string[]> {
  const bytes = statSync(dumpPath).size;
  if (bytes !== manifest.dump.bytes) {
    return [`${dumpPath} is ${bytes} bytes, the manifest says ${manifest.dump.bytes}`];
  }
  const sha256 = await sha256OfFile(dumpPath);
  return sha256 === manifest.dump.sha256 ? [] : [`${dumpPath}'s SHA-256 is not the manifest's`];
}
