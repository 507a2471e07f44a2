/**
 * Configuration is read once, at the edge: each role declares its environment as one zod object
 * schema and calls `loadConfig` from its `main.ts`. This module is the only code that touches
 * `process.env`. A failure lists every missing or invalid key with the reason and never echoes a
 * value, because some of them are secrets.
 * @module
 */
import { z } from 'zod';
import { ConfigError } from './errors';

export type Environment = Readonly<Record<string, string | undefined>>;

export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Environment = process.env,
): z.infer<Schema> {
  // Empty strings count as unset, so `FOO=` falls back to the default instead of failing oddly.
  const present: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(environment)';
    const reason =
      issue.code === 'invalid_type' && present[key] === undefined ? 'is required' : issue.message;
    return `${key}: ${reason}`;
  });
  throw new ConfigError([...new Set(problems)].sort());
}

/** Reads a single raw variable for the CLI's own plumbing (for example to find `.atc/`). */
export function readEnv(key: string, env: Environment = process.env): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Every environment variable the process was started with, for handing to child processes. */
export function processEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}

// Reusable field builders, so every role spells units and bounds the same way.

export const integer = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be an integer' })
    .int({ error: 'must be an integer' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

export const port = () => integer(1, 65535);

export const booleanFlag = () =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1');

export const postgresUrl = () =>
  z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), { error: 'must be a postgres:// connection URL' });

export const httpUrl = () =>
  z.string().refine((value) => /^https?:\/\/[^\s]+$/.test(value), { error: 'must be an http(s) URL' });

/** The keys every role shares: logging, the admin server and shutdown. */
export const baseEnvironment = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  ADMIN_PORT: port().default(9090),
  SHUTDOWN_TIMEOUT_MS: integer(100, 600_000).default(25_000),
} as const;

/** The keys of every role that talks to PostgreSQL. */
export const databaseEnvironment = {
  DATABASE_URL: postgresUrl(),
  /**
   * The server itself when DATABASE_URL is a transaction-mode pooler (pgbouncer): LISTEN and the
   * migrator's session advisory lock need a session of their own (docs/operations/database-outage.md).
   */
  DATABASE_DIRECT_URL: postgresUrl().optional(),
  DB_POOL_MAX: integer(1, 1000).default(10),
  DB_POOL_MIN: integer(0, 1000).default(0),
  DB_IDLE_TIMEOUT_MS: integer(0).default(30_000),
  DB_CONNECTION_TIMEOUT_MS: integer(1).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: integer(1).default(30_000),
  // false behind a transaction-mode pooler without protocol-level prepared statements (pgbouncer before
  // 1.21, or max_prepared_statements = 0): every statement is sent unnamed (db/pool.ts).
  DB_PREPARED_STATEMENTS: booleanFlag().default(true),
  DB_SSL: z
    .enum(['disable', 'require', 'verify-full'], { error: 'must be disable, require or verify-full' })
    .default('disable'),
} as const;

/**
 * The URL of a connection that needs a session of its own (LISTEN, a session advisory lock): the
 * server directly when DATABASE_DIRECT_URL is set, else DATABASE_URL.
 */
export function sessionDatabaseUrl(config: {
  readonly DATABASE_URL: string;
  readonly DATABASE_DIRECT_URL?: string | undefined;
}): string {
  return config.DATABASE_DIRECT_URL ?? config.DATABASE_URL;
}

export type BaseConfig = z.infer<z.ZodObject<typeof baseEnvironment>>;
export type DatabaseConfig = z.infer<z.ZodObject<typeof databaseEnvironment>>;
