import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * `pg_dump --schema-only` of schema `atc`, normalised so that two dumps of the same schema compare
 * equal: no comments, no session SETs, no ownership or privileges, no blank-line noise. The
 * checked-in `migrations/schema.sql` is this output, and CI fails when the migrations drift from it.
 */
export async function dumpSchema(databaseUrl: string, pgDumpPath: string = 'pg_dump'): Promise<string> {
  const { stdout } = await run(
    pgDumpPath,
    [
      '--schema-only',
      '--schema=atc',
      '--no-owner',
      '--no-privileges',
      '--no-comments',
      `--dbname=${databaseUrl}`,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: unknown) => {
    const message = error instanceof Error ? error.message.split('\n').slice(-3).join(' ') : String(error);
    throw new Error(
      `pg_dump failed (${message.replace(/postgres(ql)?:\/\/\S+/g, '[database url]')}). ` +
        'It needs a PostgreSQL client whose major version matches the server (PG_DUMP_PATH selects one).',
      { cause: error },
    );
  });
  return normaliseSchemaDump(stdout);
}

export function normaliseSchemaDump(dump: string): string {
  const kept = dump
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .filter((line) => !/^SET\s/.test(line))
    .filter((line) => !/^SELECT pg_catalog\.set_config/.test(line))
    .filter((line) => !/^\\(un)?restrict\s/.test(line));
  return `${kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** A unified-looking summary of the first lines that differ, for a drift failure message. */
export function describeSchemaDifference(expected: string, actual: string, context = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  const from = Math.max(0, first - context);
  const lines = [`first difference at line ${first + 1}:`];
  for (let i = from; i < first + context && (i < a.length || i < b.length); i++) {
    if (a[i] === b[i]) lines.push(`  ${a[i] ?? ''}`);
    else {
      if (i < a.length) lines.push(`- ${a[i]}`);
      if (i < b.length) lines.push(`+ ${b[i]}`);
    }
  }
  return lines.join('\n');
}
