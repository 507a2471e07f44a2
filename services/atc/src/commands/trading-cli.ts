import { userInfo } from 'node:os';
import { Pool } from 'pg';
import type { Logger } from '@atc/platform';
import { resolveDatabaseUrl, type CliConfig } from '../cli.config';

/** Arguments the trading commands (proposal, policy, kill-switch, audit, seed) share. */
export interface TradingArguments {
  readonly rest: readonly string[];
  readonly json: boolean;
  readonly file: string | undefined;
  readonly status: string | undefined;
  readonly reason: string | undefined;
  readonly by: string | undefined;
  readonly market: string | undefined;
}

/** Who the operator is, for approvals and the audit log: `--by`, else `operator:<login>`. */
export function operatorName(args: TradingArguments): string {
  if (args.by?.trim()) return args.by.trim();
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator:unknown';
  }
}

/** A small pool for one command, closed when it finishes. */
export async function withCommandPool<T>(
  config: CliConfig,
  logger: Logger,
  work: (pool: Pool) => Promise<T>,
): Promise<T> {
  const pool = new Pool({
    connectionString: resolveDatabaseUrl(config),
    max: 2,
    application_name: 'atc-cli',
  });
  pool.on('error', (error) => logger.error({ err: error }, 'idle database connection failed'));
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
