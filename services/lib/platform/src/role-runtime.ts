/**
 * What every long-running role builds first, in its `main.ts`: validated config, the root logger,
 * the metrics registry, the database pool (checked at start-up) and the shutdown protocol. The pool
 * closes as a final drain hook, after whatever the role registers.
 * @module
 */
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { baseEnvironment, databaseEnvironment, loadConfig, type Environment } from './config';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry, registerPoolMetrics } from './metrics';
import { checkDatabaseConnection, closePool, createPool } from './db/pool';
import { installShutdown, type Shutdown } from './shutdown';
import { ConfigError } from './errors';

export const roleEnvironment = { ...baseEnvironment, ...databaseEnvironment } as const;

export type RoleConfig<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<typeof roleEnvironment & Shape>>;

export interface RoleContext<Config> {
  readonly config: Config;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly pool: Pool;
  readonly shutdown: Shutdown;
}

export interface BootOptions<Shape extends z.ZodRawShape> {
  readonly service: string;
  readonly version: string;
  /** The role's own keys; the base and database keys are added. */
  readonly environment: Shape;
  readonly env?: Environment;
}

/** Prints every configuration problem (never a value) to stderr and exits 1. */
export function exitOnConfigError(error: unknown, service: string): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

export async function bootRole<Shape extends z.ZodRawShape>(
  options: BootOptions<Shape>,
): Promise<RoleContext<RoleConfig<Shape>>> {
  let config: RoleConfig<Shape>;
  try {
    config = loadConfig(z.object({ ...roleEnvironment, ...options.environment }), options.env);
  } catch (error) {
    exitOnConfigError(error, options.service);
  }
  const base = config as z.infer<z.ZodObject<typeof roleEnvironment>>;
  const logger = createLogger({
    service: options.service,
    version: options.version,
    level: base.LOG_LEVEL,
    format: base.LOG_FORMAT,
  });
  const shutdown = installShutdown({ logger, timeoutMs: base.SHUTDOWN_TIMEOUT_MS });
  const registry = createMetricsRegistry({ service: options.service, version: options.version });
  const pool = createPool({ config: base, applicationName: `atc-${options.service}`, logger });
  shutdown.onFinalShutdown('database pool', () => closePool(pool));
  registerPoolMetrics(registry, pool, 'main', base.DB_POOL_MAX);
  await checkDatabaseConnection(pool, base.DATABASE_URL);
  return { config, logger, registry, pool, shutdown };
}
