/**
 * Integration tests share one PostgreSQL server per `jest` run (started by jest-global-setup.ts) and
 * one template database built from migrations/ once. Each test file clones the template, so files
 * run in parallel without seeing each other's rows.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { withDatabase } from '../db/local-postgres';

export const SERVER_URL_VARIABLE = 'ATC_TEST_SERVER_URL';
export const TEMPLATE_VARIABLE = 'ATC_TEST_TEMPLATE_DATABASE';
/** A directory for the run's local state (children's ATC_HOME), removed by the global teardown. */
export const SCRATCH_VARIABLE = 'ATC_TEST_SCRATCH_DIRECTORY';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  readonly pool: Pool;
  /** A pool of its own for tests that need many simultaneous connections. */
  createPool(max: number): Pool;
  drop(): Promise<void>;
}

function requireVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run integration tests through jest's integration project (npm run test:int)`,
    );
  }
  return value;
}

export function testServerUrl(): string {
  return requireVariable(SERVER_URL_VARIABLE);
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
}

/** A fresh database: a clone of the migrated template, or an empty one with `{ migrated: false }`. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `atc_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : requireVariable(TEMPLATE_VARIABLE);
  // Identifiers cannot be bind parameters; both names are generated and checked above.
  await onServer((client) =>
    client.query(`create database ${quoteIdentifier(name)} template ${quoteIdentifier(template)}`),
  );
  const url = withDatabase(testServerUrl(), name);
  const pools: Pool[] = [];
  const createPool = (max: number) => {
    const pool = new Pool({ connectionString: url, max, statement_timeout: 30_000 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const pool = createPool(10);
  return {
    url,
    name,
    pool,
    createPool,
    drop: async () => {
      await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
      await onServer((client) =>
        client.query(`drop database if exists ${quoteIdentifier(name)} with (force)`),
      );
    },
  };
}
