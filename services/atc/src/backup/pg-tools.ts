/**
 * PostgreSQL's own client tools, run for `atc backup` and `atc restore`: pg_dump (PG_DUMP_PATH) and
 * pg_restore (PG_RESTORE_PATH), of the server's major version. The password travels in PGPASSWORD,
 * not on the command line (where `ps` would show it), and no error message repeats the URL.
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ToolConnection {
  readonly dbname: string;
  readonly env: NodeJS.ProcessEnv;
}

/** The URL without its password, and the password in the environment of the tool. */
export function toolConnection(databaseUrl: string): ToolConnection {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function toolFailure(tool: string, error: unknown): Error {
  const detail =
    error instanceof Error
      ? ((error as Error & { stderr?: string }).stderr || error.message)
          .trim()
          .split('\n')
          .slice(-4)
          .join(' ')
      : String(error);
  return new Error(
    `${tool} failed: ${detail.replace(/postgres(ql)?:\/\/\S+/g, '[database url]')}. ` +
      `It needs the client of the server's major version (PostgreSQL 15; ${tool === 'pg_dump' ? 'PG_DUMP_PATH' : 'PG_RESTORE_PATH'} selects one).`,
    { cause: error },
  );
}

/**
 * A custom-format dump of the whole database into `file`, reading the snapshot `snapshot` that an
 * open transaction exported, so the dump holds exactly the rows the manifest counted.
 */
export async function runPgDump(options: {
  readonly databaseUrl: string;
  readonly file: string;
  readonly snapshot: string;
  readonly pgDumpPath: string;
}): Promise<void> {
  const connection = toolConnection(options.databaseUrl);
  await run(
    options.pgDumpPath,
    [
      '--format=custom',
      `--file=${options.file}`,
      `--snapshot=${options.snapshot}`,
      `--dbname=${connection.dbname}`,
    ],
    { env: connection.env, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: unknown) => {
    throw toolFailure('pg_dump', error);
  });
}

/**
 * Restores a custom-format dump in one transaction (all or nothing), stopping at the first error.
 * Ownership and grants are left out: the target's roles are not the source's.
 */
export async function runPgRestore(options: {
  readonly databaseUrl: string;
  readonly file: string;
  readonly pgRestorePath: string;
}): Promise<void> {
  const connection = toolConnection(options.databaseUrl);
  await run(
    options.pgRestorePath,
    [
      '--exit-on-error',
      '--single-transaction',
      '--no-owner',
      '--no-privileges',
      `--dbname=${connection.dbname}`,
      options.file,
    ],
    { env: connection.env, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: unknown) => {
    throw toolFailure('pg_restore', error);
  });
}
