import path from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  databaseEnvironment,
  integer,
  kubernetesEnvironment,
  loadConfig,
  port,
  postgresUrl,
} from '@atc/platform';
import { readLocalState } from './local-state';

/** Keys the CLI itself reads (the roles it starts read their own). */
export const cliEnvironment = {
  // The pool settings every role reads; the CLI's own pools use them too, so an invalid one fails here.
  ...databaseEnvironment,
  DATABASE_URL: postgresUrl().optional(),
  ATC_HOME: z.string().min(1).default('.atc'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('pretty'),
  LOCAL_PG_PORT: port().default(54329),
  DASHBOARD_PORT: port().default(8080),
  SIM_PORT: port().default(7070),
  ADMIN_PORT_BASE: port().default(9100),
  SHUTDOWN_TIMEOUT_MS: integer(100, 600_000).default(25_000),
  PG_DUMP_PATH: z.string().min(1).default('pg_dump'),
  PG_RESTORE_PATH: z.string().min(1).default('pg_restore'),
  // `atc db roles --apply`: passwords to set (each sent as a SCRAM verifier; unset leaves the role's as it is).
  DB_OWNER_PASSWORD: z.string().min(1).optional(),
  DB_APP_PASSWORD: z.string().min(1).optional(),
  DB_READONLY_PASSWORD: z.string().min(1).optional(),
  // `atc kill-switch on --scale-down` / `off --restore`: where the cluster is and what to scale.
  ...kubernetesEnvironment,
} as const;

export type CliConfig = z.infer<z.ZodObject<typeof cliEnvironment>> & { readonly home: string };

export function loadCliConfig(): CliConfig {
  const config = loadConfig(z.object(cliEnvironment));
  return { ...config, home: path.resolve(config.ATC_HOME) };
}

/** DATABASE_URL when set; otherwise the database of the running `atc up`; otherwise a clear error. */
export function resolveDatabaseUrl(config: CliConfig): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const local = readLocalState(config.home);
  if (local) return local.databaseUrl;
  throw new ConfigError([
    `DATABASE_URL: is required (no local company is running under ${config.home}: start one with \`npm start\`)`,
  ]);
}
