/**
 * `atc restore`: checks the dump against its manifest, refuses a target that holds anything (unless
 * forced), restores with pg_restore in one transaction, then holds the restored database to the
 * manifest (schema version and migration checksums, row counts per table, the audit chain's head)
 * and walks the audit chain.
 * @module
 */
import { ConflictError, type Pool } from '@atc/platform';
import { verifyAuditChain } from '@atc/trading';
import {
  checkDumpFile,
  compareFacts,
  readDatabaseFacts,
  readManifest,
  type BackupManifest,
} from './backup-manifest';
import { dropAtcSchema, selectTargetContents, type FoundRelation } from './backup-manifest.queries';
import { runPgRestore } from './pg-tools';

export interface RestoreReport {
  readonly manifest: BackupManifest;
  /** What `--force` dropped (schema atc and what it held), or nothing. */
  readonly dropped: readonly FoundRelation[];
  /** What the target held outside schema atc and was left in place. */
  readonly keptAside: readonly FoundRelation[];
  /** Every way the restored database differs from the manifest: empty when the restore is good. */
  readonly problems: readonly string[];
  readonly auditRowsVerified: number;
}

function describeFound(found: readonly FoundRelation[]): string {
  const shown = found
    .slice(0, 5)
    .map((f) => (f.kind === 'schema' ? `schema ${f.name}` : `${f.kind} ${f.schema}.${f.name}`));
  return `${shown.join(', ')}${found.length > 5 ? ` and ${found.length - 5} more` : ''}`;
}

/** An empty target, or (with `force`) one whose schema atc is dropped first; otherwise a ConflictError. */
async function prepareTarget(pool: Pool, force: boolean) {
  const found = await selectTargetContents(pool);
  if (found.length > 0 && !force) {
    throw new ConflictError(
      `the target database is not empty: it holds ${describeFound(found)} (${found.length} objects). ` +
        'Restore into a new, empty database, or pass --force to drop its schema atc first.',
    );
  }
  const inAtc = found.filter((f) => f.schema === 'atc');
  if (inAtc.length > 0) await dropAtcSchema(pool);
  return { dropped: inAtc, keptAside: found.filter((f) => f.schema !== 'atc') };
}

export async function restoreBackup(options: {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly file: string;
  readonly force: boolean;
  readonly pgRestorePath: string;
}): Promise<RestoreReport> {
  const manifest = readManifest(options.file);
  const fileProblems = await checkDumpFile(options.file, manifest);
  if (fileProblems.length > 0) {
    throw new ConflictError(
      `the backup does not match its manifest, nothing restored: ${fileProblems.join('; ')}`,
    );
  }
  const { dropped, keptAside } = await prepareTarget(options.pool, options.force);
  await runPgRestore({
    databaseUrl: options.databaseUrl,
    file: options.file,
    pgRestorePath: options.pgRestorePath,
  });
  const problems = compareFacts(manifest, await readDatabaseFacts(options.pool));
  const audit = await verifyAuditChain(options.pool);
  if (!audit.ok) {
    problems.push(`the audit chain is broken at row ${audit.firstBroken?.id}: ${audit.firstBroken?.problem}`);
  }
  return { manifest, dropped, keptAside, problems, auditRowsVerified: audit.checked };
}
