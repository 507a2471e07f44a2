/**
 * A throwaway embedded PostgreSQL (fsync off, in a scratch directory) holding one migrated database:
 * what the benchmarks and the docs' example generator measure or run against. `stop()` ends every
 * pool it handed out, stops the server and removes the directory.
 * @module
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import type { Logger } from '../logger';
import { makeScratchDirectory, startLocalPostgres, withDatabase } from './local-postgres';
import { findMigrationsDirectory, Migrator } from './migrations';
import { handlePoolErrors } from './pool';

export interface ScratchDatabase {
  /** The migrated database's URL. */
  readonly url: string;
  /** A pool on the database, ended by `stop()`; `label` names it in pool error logs. */
  pool(options: { readonly max: number; readonly label: string; readonly applicationName?: string }): Pool;
  stop(): Promise<void>;
}

export async function startScratchDatabase(options: {
  /** The database's name (and the scratch directory's prefix). */
  readonly name: string;
  readonly logger: Logger;
  /** Where the caller's file is: the migrations are found from there (`findMigrationsDirectory`). */
  readonly from: string;
}): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.name)) {
    throw new Error(
      `scratch database name ${JSON.stringify(options.name)}: lower-case letters, digits and _ only`,
    );
  }
  const scratch = makeScratchDirectory(`${options.name.replace(/_/g, '-')}-`);
  const server = await startLocalPostgres({
    dataDirectory: path.join(scratch, 'data'),
    persistent: false,
    durable: false,
  });
  const pools: Pool[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`create database ${options.name}`);
    await admin.end();
    const url = withDatabase(server.url, options.name);
    const pool: ScratchDatabase['pool'] = ({ max, label, applicationName }) => {
      const created = handlePoolErrors(
        new Pool({
          connectionString: url,
          max,
          ...(applicationName ? { application_name: applicationName } : {}),
        }),
        options.logger,
        label,
      );
      pools.push(created);
      return created;
    };
    const migrations = pool({ max: 1, label: 'migrations' });
    await new Migrator({
      pool: migrations,
      directory: findMigrationsDirectory(options.from),
      logger: options.logger,
    }).up();
    return { url, pool, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
