import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import {
  describeSchemaDifference,
  dumpSchema,
  findMigrationsDirectory,
  handlePoolErrors,
  InputError,
  makeScratchDirectory,
  Migrator,
  startLocalPostgres,
  withDatabase,
  type Logger,
} from '@atc/platform';
import type { CliConfig } from '../cli.config';
import { openCommandPool } from '../command-pool';
import { formatTable, writeJson, writeLine } from '../output';

export interface MigrateArguments {
  readonly action: string | undefined;
  readonly to: string | undefined;
  readonly json: boolean;
  readonly out: string | undefined;
  readonly check: string | undefined;
}

const USAGE =
  'usage: atc migrate up [--to N] | down --to N | status | redo | snapshot [--out FILE | --check FILE]';

function parseTarget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InputError(`--to must be a migration number, got "${value}"`);
  return Number(value);
}

export async function runMigrate(args: MigrateArguments, config: CliConfig, logger: Logger): Promise<number> {
  if (args.action === 'snapshot') return snapshot(args, config, logger);
  const target = parseTarget(args.to);
  if (args.action === 'down' && target === undefined) {
    throw new InputError('migrate down needs --to N (0 reverts everything)');
  }
  const pool = await openCommandPool(config, logger, 'atc-migrate', { session: true });
  try {
    const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
    switch (args.action) {
      case 'up': {
        const applied = await migrator.up(target);
        writeLine(applied.length ? `applied ${applied.join(', ')}` : 'schema is current; nothing to apply');
        return 0;
      }
      case 'down': {
        if (target === undefined) throw new InputError('migrate down needs --to N (0 reverts everything)');
        const reverted = await migrator.down(target);
        writeLine(reverted.length ? `reverted ${reverted.join(', ')}` : 'nothing to revert');
        return 0;
      }
      case 'redo': {
        const id = await migrator.redo();
        writeLine(id === undefined ? 'nothing applied; nothing to redo' : `redid ${id}`);
        return 0;
      }
      case 'status': {
        const rows = await migrator.status();
        const functions = await migrator.functionStatus();
        if (args.json) writeJson({ migrations: rows, functions });
        else {
          writeLine(formatTable(rows.map((r) => ({ ...r, id: String(r.id).padStart(4, '0') }))));
          writeLine('');
          writeLine(
            formatTable(functions.map((f) => ({ function: f.name, state: f.state, appliedAt: f.appliedAt }))),
          );
        }
        return [...rows, ...functions].every((r) => r.state === 'applied') ? 0 : 3;
      }
      default:
        throw new InputError(USAGE);
    }
  } finally {
    await pool.end();
  }
}

/**
 * Builds a scratch database from migrations/ and dumps its schema: `--out` writes the snapshot,
 * `--check` fails (exit 1) when the checked-in snapshot differs. Uses TEST_DATABASE_URL's or
 * DATABASE_URL's server when set, else a throwaway embedded server.
 */
async function snapshot(args: MigrateArguments, config: CliConfig, logger: Logger): Promise<number> {
  if (!args.out && !args.check) throw new InputError('migrate snapshot needs --out FILE or --check FILE');
  const scratchDirectory = makeScratchDirectory('atc-snapshot-');
  const server = config.DATABASE_URL
    ? undefined
    : await startLocalPostgres({
        dataDirectory: path.join(scratchDirectory, 'pg'),
        persistent: false,
        durable: false,
      });
  const serverUrl = config.DATABASE_URL ?? server!.url;
  const database = `atc_snapshot_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${database}`);
    await admin.query(`create database ${database}`);
    const url = withDatabase(serverUrl, database);
    const pool = handlePoolErrors(new Pool({ connectionString: url, max: 2 }), logger, 'snapshot');
    try {
      await new Migrator({ pool, directory: findMigrationsDirectory(), logger }).up();
    } finally {
      await pool.end();
    }
    const dump = await dumpSchema(url, config.PG_DUMP_PATH);
    if (args.out) {
      writeFileSync(args.out, dump);
      writeLine(`wrote ${args.out}`);
      return 0;
    }
    const file = args.check!;
    const expected = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (expected === dump) {
      writeLine(`${file} matches migrations/`);
      return 0;
    }
    process.stderr.write(
      `${file} does not match the schema migrations/ produce; run \`npm run schema:dump\` and commit it.\n` +
        `${describeSchemaDifference(expected, dump)}\n`,
    );
    return 1;
  } finally {
    await admin.query(`drop database if exists ${database}`).catch(() => undefined);
    await admin.end();
    await server?.stop();
    rmSync(scratchDirectory, { recursive: true, force: true });
  }
}
