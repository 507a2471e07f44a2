import { Client, Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import type { Logger } from '../logger';
import type { DatabaseConfig } from '../config';
import { errorMessage, isRetryableDatabaseError, UnavailableError } from '../errors';
import { redactUrlCredentials } from '../logger';

export type { Pool, PoolClient } from 'pg';

/** A pool or a checked-out client: every query function takes one, so it also runs inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

export interface PoolSettings {
  readonly config: DatabaseConfig;
  /** Shows in `pg_stat_activity.application_name`, so a DBA can tell the roles apart. */
  readonly applicationName: string;
  readonly logger: Logger;
}

/**
 * A client that sends every statement unnamed (parsed and planned on each call), for a pool behind a
 * transaction-mode pooler that cannot track named statements: pgbouncer hands each transaction to
 * any server connection, so a statement prepared on one is "already exists" or "does not exist" on
 * the next (DB_PREPARED_STATEMENTS=false, docs/operations/database-outage.md).
 */
export class UnnamedStatementClient extends Client {}

// Called below with .call(this), on the client the statement belongs to.
// eslint-disable-next-line @typescript-eslint/unbound-method
const namedQuery = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
UnnamedStatementClient.prototype.query = function (this: Client, config: unknown, ...rest: unknown[]) {
  if (typeof config === 'object' && config !== null && 'name' in config && 'text' in config) {
    const { name: _name, ...unnamed } = config as Record<string, unknown>;
    return namedQuery.call(this, unnamed, ...rest);
  }
  return namedQuery.call(this, config, ...rest);
} as Client['query'];

export function poolConfig(config: DatabaseConfig, applicationName: string): PoolConfig {
  return {
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    min: config.DB_POOL_MIN,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    // Server side: PostgreSQL cancels any statement that runs longer than this.
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    // Client side: give up on a query whose answer never arrives (a dead connection), a little
    // later than the server would have cancelled it.
    query_timeout: config.DB_STATEMENT_TIMEOUT_MS + 1_000,
    // A transaction left open by a crashed code path must not hold locks forever.
    idle_in_transaction_session_timeout: Math.max(config.DB_STATEMENT_TIMEOUT_MS * 2, 60_000),
    application_name: applicationName,
    ...(config.DB_PREPARED_STATEMENTS ? {} : { Client: UnnamedStatementClient }),
    ssl: config.DB_SSL === 'disable' ? undefined : { rejectUnauthorized: config.DB_SSL === 'verify-full' },
  };
}

/**
 * Every pool in the project goes through this: an idle client that loses its connection (the server
 * restarting, an administrator terminating it with 57P01, the embedded server stopping during a
 * test's teardown) emits `error` on the pool, and an `error` event without a listener crashes the
 * process with a dump of the client. Logged instead; the pool replaces the client. While the pool is
 * ending the loss is expected, so it is logged at debug.
 */
export function handlePoolErrors(pool: Pool, logger: Logger, what = 'database'): Pool {
  // A checked-out client between two statements (a transaction awaiting a venue, a role's lease)
  // has no pool listener: when the server goes away (57P01 on a fast shutdown, passed on by a
  // pooler) its `error` would crash the process. Logged; the statement in progress or the next one
  // fails, and the pool discards the client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (pool.ending || pool.ended) return;
      logger.warn(
        { err: error, pool: what },
        'database connection lost; its work fails and the pool replaces it',
      );
    });
  });
  pool.on('error', (error) => {
    if (pool.ending || pool.ended) {
      logger.debug({ err: error, pool: what }, 'idle database connection closed while the pool ends');
      return;
    }
    logger.error({ err: error, pool: what }, 'idle database connection failed; the pool will replace it');
  });
  return pool;
}

/** Builds the role's pool, with `handlePoolErrors`. */
export function createPool(settings: PoolSettings): Pool {
  return handlePoolErrors(
    new Pool(poolConfig(settings.config, settings.applicationName)),
    settings.logger,
    settings.applicationName,
  );
}

/**
 * Fails fast, with a message an operator can act on, when the database cannot be reached at start-up:
 * an `UnavailableError` naming the server (the URL's credentials never appear).
 */
export async function checkDatabaseConnection(pool: Pool, databaseUrl: string): Promise<void> {
  try {
    await pool.query('select 1');
  } catch (error) {
    throw new UnavailableError(
      `cannot connect to PostgreSQL at ${redactUrlCredentials(databaseUrl)}: ${errorMessage(error)}. ` +
        'Check DATABASE_URL and that the server is running.',
      { cause: error },
    );
  }
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  readonly isolation?: IsolationLevel;
  /** `SET LOCAL statement_timeout` for this transaction only, in milliseconds. */
  readonly statementTimeoutMs?: number;
}

/**
 * Runs `work` in one transaction on one connection: commit when it resolves, roll back when it throws.
 * The connection is destroyed rather than reused if the rollback itself fails.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.isolation ? `begin isolation level ${options.isolation}` : 'begin');
    if (options.statementTimeoutMs !== undefined) {
      // set_config(..., true) is SET LOCAL with a bind parameter instead of text interpolation.
      await client.query(`select set_config('statement_timeout', $1::text, true)`, [
        `${Math.max(1, Math.floor(options.statementTimeoutMs))}ms`,
      ]);
    }
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly logger?: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries `work` only when it failed with a retryable database error (the SQLSTATE allowlist in
 * errors.ts): a lost serialization race or deadlock, or a dropped connection. Anything else is thrown.
 */
export async function withDatabaseRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 25;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryableDatabaseError(error)) throw error;
      const delay = base * 2 ** (attempt - 1) * (0.5 + Math.random());
      options.logger?.warn(
        { err: error, attempt, delayMs: Math.round(delay) },
        'retrying database operation',
      );
      await sleep(delay);
    }
  }
}

/** Typed single-row helpers: fewer `rows[0]!` in query modules. */
export async function queryRows<Row extends QueryResultRow>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<Row[]> {
  const result = await db.query<Row>(text, values as unknown[]);
  return result.rows;
}

export async function queryOne<Row extends QueryResultRow>(
  db: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<Row | undefined> {
  const rows = await queryRows<Row>(db, text, values);
  return rows[0];
}

/** Drains the pool: waits for checked-out clients to be released, then closes every connection. */
export async function closePool(pool: Pool): Promise<void> {
  if (!pool.ended) await pool.end();
}
