import path from 'node:path';
import { Client, Pool } from 'pg';
import {
  makeScratchDirectory,
  startLocalPostgres,
  withDatabase,
  type LocalPostgres,
} from '../db/local-postgres';
import { findMigrationsDirectory, Migrator } from '../db/migrations';
import { silentLogger } from '../logger';
import { handlePoolErrors } from '../db/pool';
import { SCRATCH_VARIABLE, SERVER_URL_VARIABLE, TEMPLATE_VARIABLE } from './test-database';

declare global {
  // Handed from setup to teardown, which run in the same process.
  var __ATC_TEST_POSTGRES__: LocalPostgres | undefined;
}

/**
 * Starts one PostgreSQL for the whole run — embedded, or the server `TEST_DATABASE_URL` names — and
 * builds the template database from migrations/. Test files clone it (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const server = await startLocalPostgres({
      dataDirectory: path.join(makeScratchDirectory('atc-test-pg-'), 'data'),
      persistent: false,
      durable: false,
    });
    globalThis.__ATC_TEST_POSTGRES__ = server;
    // If jest exits without running the teardown (a crash, a failed setup), still stop the server:
    // it runs in its own process group and would otherwise outlive the run.
    process.once('exit', () => {
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        // Already stopped by the teardown.
      }
    });
    serverUrl = server.url;
  }
  const template = `atc_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  const pool = handlePoolErrors(
    new Pool({ connectionString: withDatabase(serverUrl, template), max: 2 }),
    silentLogger(),
  );
  try {
    await new Migrator({ pool, directory: findMigrationsDirectory(__dirname), logger: silentLogger() }).up();
  } finally {
    await pool.end();
  }
  process.env[SCRATCH_VARIABLE] = makeScratchDirectory('atc-test-run-');
  process.env[SERVER_URL_VARIABLE] = serverUrl;
  process.env[TEMPLATE_VARIABLE] = template;
}
