import { checkDatabaseConnection, createPool, type Logger, type Pool } from '@atc/platform';
import { resolveDatabaseUrl, type CliConfig } from './cli.config';

/**
 * The pool of one operator command: the role pools' settings (DB_POOL_MAX and friends, validated
 * by the CLI's config), the shared idle-error handler, and a first round trip that turns an
 * unreachable database into one line naming the server (never its credentials).
 */
export async function openCommandPool(
  config: CliConfig,
  logger: Logger,
  applicationName: string,
  options: { session?: boolean } = {},
): Promise<Pool> {
  // A command that needs a session of its own (the migrator's advisory lock) bypasses a pooler.
  const databaseUrl =
    (options.session ? config.DATABASE_DIRECT_URL : undefined) ?? resolveDatabaseUrl(config);
  const pool = createPool({ config: { ...config, DATABASE_URL: databaseUrl }, applicationName, logger });
  try {
    await checkDatabaseConnection(pool, databaseUrl);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/** Runs `work` with a command pool, closed when it finishes. */
export async function withCommandPool<T>(
  config: CliConfig,
  logger: Logger,
  work: (pool: Pool) => Promise<T>,
  applicationName = 'atc-cli',
): Promise<T> {
  const pool = await openCommandPool(config, logger, applicationName);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
