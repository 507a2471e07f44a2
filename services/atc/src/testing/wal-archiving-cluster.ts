/**
 * The point-in-time recovery drill's moving parts, on the embedded PostgreSQL's own server binaries
 * and the PostgreSQL 15 client's pg_basebackup: a cluster archiving its WAL into a directory, a base
 * backup of it, and a copy recovered from that backup and the archive to a target time.
 * docs/operations/backups.md describes the same steps on a real server.
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { handToServerUser, startLocalPostgres, type LocalPostgres, type Queryable } from '@atc/platform';
import { toolConnection } from '../backup/pg-tools';

const run = promisify(execFile);

/** A server with `wal_level=replica` and `archive_mode=on`, copying each finished WAL segment into `archive`. */
export async function startArchivingCluster(
  scratch: string,
): Promise<{ server: LocalPostgres; archive: string }> {
  const archive = path.join(scratch, 'wal-archive');
  mkdirSync(archive, { recursive: true });
  handToServerUser(archive);
  // Copy under a temporary name and rename: a segment is in the archive whole or not at all.
  const archiveCommand = `test ! -f ${archive}/%f && cp %p ${archive}/%f.tmp && mv ${archive}/%f.tmp ${archive}/%f`;
  const server = await startLocalPostgres({
    dataDirectory: path.join(scratch, 'primary'),
    persistent: false,
    // Durable (full_page_writes on: a base backup needs it), fsync aside: nothing here survives a crash.
    settings: ['wal_level=replica', 'archive_mode=on', `archive_command=${archiveCommand}`, 'fsync=off'],
  });
  return { server, archive };
}

/** `pg_basebackup` of the whole cluster into `directory`, with the WAL it needs to be consistent. */
export async function takeBaseBackup(serverUrl: string, directory: string): Promise<void> {
  const connection = toolConnection(serverUrl);
  await run(
    process.env.PG_BASEBACKUP_PATH ?? 'pg_basebackup',
    [
      `--dbname=${connection.dbname}`,
      `--pgdata=${directory}`,
      '--wal-method=stream',
      '--checkpoint=fast',
      '--no-sync',
    ],
    { env: connection.env },
  );
  handToServerUser(directory);
}

/** Resolves when `name` is in `directory` (a watcher, not a poll); rejects after `timeoutMs`. */
function fileAppears(directory: string, name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(directory);
    const done = (error?: Error) => {
      watcher.close();
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    };
    // eslint-disable-next-line no-restricted-syntax -- the deadline that fails the wait, not a sleep
    const deadline = setTimeout(
      () => done(new Error(`${name} was not archived within ${timeoutMs} ms`)),
      timeoutMs,
    );
    watcher.on('change', () => {
      if (existsSync(path.join(directory, name))) done();
    });
    if (existsSync(path.join(directory, name))) done();
  });
}

/** Closes the current WAL segment and waits until archive_command has copied it into the archive. */
export async function switchAndArchive(db: Queryable, archive: string): Promise<string> {
  const { rows } = await db.query<{ segment: string }>('select pg_walfile_name(pg_switch_wal()) as segment');
  const segment = rows[0]!.segment;
  await fileAppears(archive, segment, 30_000);
  return segment;
}

/**
 * Starts a server on a base backup in recovery: it replays the archive's WAL up to `targetTime`
 * (stopping before the first transaction that committed after it) and is then promoted, on a new
 * timeline, ready for writes.
 */
export async function recoverToTime(options: {
  readonly baseBackup: string;
  readonly archive: string;
  readonly targetTime: string;
}): Promise<LocalPostgres> {
  writeFileSync(path.join(options.baseBackup, 'recovery.signal'), '');
  handToServerUser(options.baseBackup);
  return startLocalPostgres({
    dataDirectory: options.baseBackup,
    persistent: false,
    settings: [
      `restore_command=cp ${options.archive}/%f %p`,
      `recovery_target_time=${options.targetTime}`,
      'recovery_target_action=promote',
    ],
  });
}
