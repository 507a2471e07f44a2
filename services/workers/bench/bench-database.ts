/**
 * The benchmark's database: a fresh database with the schema built from migrations/, on a fresh
 * embedded PostgreSQL (fsync and synchronous_commit off: a throwaway server) or, when a server URL
 * is given, on that server. `close()` drops what it created and stops what it started.
 * @module
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { postgresCpuMs } from './server-cpu';
import {
  findMigrationsDirectory,
  handlePoolErrors,
  makeScratchDirectory,
  Migrator,
  startLocalPostgres,
  withDatabase,
  type LocalPostgres,
  type Logger,
} from '@atc/platform';

export interface BenchDatabase {
  readonly url: string;
  /** Where the server runs, for the notes under the table. */
  readonly where: string;
  /** CPU ms the server has used so far (embedded server only; undefined for BENCH_DATABASE_URL). */
  readonly serverCpuMs: () => number | undefined;
  close(): Promise<void>;
}

export async function openBenchDatabase(
  serverUrl: string | undefined,
  logger: Logger,
): Promise<BenchDatabase> {
  let server: LocalPostgres | undefined;
  let scratch: string | undefined;
  if (!serverUrl) {
    scratch = makeScratchDirectory('atc-bench-pg-');
    server = await startLocalPostgres({
      dataDirectory: path.join(scratch, 'data'),
      persistent: false,
      durable: false,
    });
    serverUrl = server.url;
  }
  const database = `atc_bench_${process.pid}_${Date.now().toString(36)}`;
  const stopServer = async () => {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const admin = new Client({ connectionString: serverUrl });
  try {
    await admin.connect();
    // The name is generated above from digits and letters only; identifiers cannot be bound.
    await admin.query(`create database "${database}"`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    await stopServer();
    throw new Error('cannot create the benchmark database', { cause: error });
  }
  await admin.end();
  const url = withDatabase(serverUrl, database);
  const close = async () => {
    if (!server) {
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists "${database}" with (force)`);
      } finally {
        await dropper.end();
      }
    }
    await stopServer();
  };
  const pool = handlePoolErrors(new Pool({ connectionString: url, max: 2 }), logger, 'bench-migrate');
  try {
    await new Migrator({ pool, directory: findMigrationsDirectory(__dirname), logger }).up();
  } catch (error) {
    await pool.end();
    await close();
    throw error;
  } finally {
    if (!pool.ended) await pool.end();
  }
  return {
    url,
    where: server ? 'embedded PostgreSQL (fsync=off, synchronous_commit=off)' : 'BENCH_DATABASE_URL',
    serverCpuMs: () => (server ? postgresCpuMs(server.dataDirectory) : undefined),
    close,
  };
}
