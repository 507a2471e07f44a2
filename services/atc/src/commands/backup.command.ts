import path from 'node:path';
import { InputError, type Logger } from '@atc/platform';
import { resolveDatabaseUrl, type CliConfig } from '../cli.config';
import { openCommandPool, withCommandPool } from '../command-pool';
import { writeErrorLine, writeLine } from '../output';
import { manifestPathOf } from '../backup/backup-manifest';
import { restoreBackup } from '../backup/restore-backup';
import { parseKeep, pruneBackups, resolveBackupPath, takeBackup } from '../backup/take-backup';

/**
 * The row counts of a big table, and the audit chain's walk, outlast the roles' 30 s statement
 * timeout: backup and restore allow up to an hour per statement (the RTO goal bounds them anyway).
 */
const LONG_STATEMENT_TIMEOUT_MS = 3_600_000;

function withLongStatements(config: CliConfig, databaseUrl: string): CliConfig {
  return {
    ...config,
    DATABASE_URL: databaseUrl,
    DB_STATEMENT_TIMEOUT_MS: Math.max(config.DB_STATEMENT_TIMEOUT_MS, LONG_STATEMENT_TIMEOUT_MS),
  };
}

export interface BackupArguments {
  readonly out: string | undefined;
  readonly keep: string | undefined;
  readonly now: Date;
}

/** `atc backup --out F|DIR/ [--keep N]`: a consistent pg_dump and its manifest (docs/operations/backups.md). */
export async function runBackup(args: BackupArguments, config: CliConfig, logger: Logger): Promise<number> {
  if (!args.out) throw new InputError('atc backup needs --out FILE (or --out DIR/ for a time-stamped name)');
  const keep = parseKeep(args.keep);
  const file = resolveBackupPath(args.out, args.now);
  const databaseUrl = resolveDatabaseUrl(config);
  const manifest = await withCommandPool(
    withLongStatements(config, databaseUrl),
    logger,
    (pool) => takeBackup({ pool, databaseUrl, file, pgDumpPath: config.PG_DUMP_PATH, now: args.now }),
    'atc-backup',
  );
  const rows = Object.values(manifest.tables).reduce((sum, n) => sum + n, 0);
  writeLine(
    `wrote ${file} (${manifest.dump.bytes} bytes; schema ${manifest.schemaVersion}; ` +
      `${rows} rows in ${Object.keys(manifest.tables).length} tables; audit head ${manifest.audit.headId ?? 'none'}) ` +
      `and ${manifestPathOf(file)}`,
  );
  if (keep !== undefined) {
    for (const removed of pruneBackups(path.dirname(file), keep))
      writeLine(`removed ${removed} (--keep ${keep})`);
  }
  return 0;
}

export interface RestoreArguments {
  readonly positionals: readonly string[];
  readonly into: string | undefined;
  readonly force: boolean;
}

/**
 * `atc restore F --into URL [--force]`: exit 0 when the restored database matches the manifest,
 * 1 naming every mismatch (or the non-empty target it refused).
 */
export async function runRestore(args: RestoreArguments, config: CliConfig, logger: Logger): Promise<number> {
  const file = args.positionals[0]!;
  if (!args.into)
    throw new InputError('atc restore needs --into DATABASE_URL (the database to restore into)');
  const pool = await openCommandPool(withLongStatements(config, args.into), logger, 'atc-restore');
  try {
    const report = await restoreBackup({
      pool,
      databaseUrl: args.into,
      file,
      force: args.force,
      pgRestorePath: config.PG_RESTORE_PATH,
    });
    if (report.dropped.length > 0)
      writeErrorLine(`--force: dropped schema atc (${report.dropped.length} objects)`);
    if (report.keptAside.length > 0) {
      writeErrorLine(`left in place outside schema atc: ${report.keptAside.length} objects`);
    }
    if (report.problems.length > 0) {
      writeErrorLine(`restored ${file}, but the database does not match its manifest:`);
      for (const problem of report.problems) writeErrorLine(`  - ${problem}`);
      return 1;
    }
    const rows = Object.values(report.manifest.tables).reduce((sum, n) => sum + n, 0);
    writeLine(
      `restored ${file} (taken ${report.manifest.createdAt}): schema ${report.manifest.schemaVersion}, ` +
        `${rows} rows in ${Object.keys(report.manifest.tables).length} tables match the manifest; ` +
        `audit chain intact (${report.auditRowsVerified} rows, head ${report.manifest.audit.headId ?? 'none'})`,
    );
    return 0;
  } finally {
    await pool.end();
  }
}
