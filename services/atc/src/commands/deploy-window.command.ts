/**
 * `atc deploy-window [--markets M,N] [--at ISO] [--json]`: exit 0 when a deploy may start, 1 inside
 * the market hours of a gated market, so a pipeline can gate on it. Reads the venues policy (each
 * market's mode, printed) and the halts (a halted market does not block) from the database; an
 * unreachable database is a failure (exit 1): the gate fails closed.
 * @module
 */
import { policySchemas, type Clock } from '@atc/contracts';
import { InputError, type Logger } from '@atc/platform';
import { getPolicy, readHalts } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { writeJson, writeLine } from '../output';
import { withCommandPool } from './trading-cli';
import {
  describeDeployWindow,
  evaluateDeployWindow,
  parseMarketList,
  type DeployWindow,
} from './deploy-window';

export interface DeployWindowOptions {
  readonly markets: string | undefined;
  /** Ask about another instant (planning a deploy) instead of the clock's now. */
  readonly at: string | undefined;
  readonly json: boolean;
  readonly clock: Clock;
}

function instantOf(options: DeployWindowOptions): Date {
  if (options.at === undefined) return new Date(options.clock.now());
  const at = new Date(options.at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(options.at) || Number.isNaN(at.getTime()))
    throw new InputError(
      `--at takes an ISO 8601 instant such as 2026-12-16T15:00:00Z; got ${JSON.stringify(options.at)}`,
    );
  return at;
}

/** Reads the policies, decides, prints; returns the exit code (0 open, 1 closed). */
export async function runDeployWindow(
  options: DeployWindowOptions,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const markets = parseMarketList(options.markets);
  if (typeof markets === 'string') throw new InputError(markets);
  const at = instantOf(options);
  const window: DeployWindow = await withCommandPool(config, logger, async (pool) => {
    const venues = policySchemas.venues.parse((await getPolicy(pool, 'venues')).value);
    const halts = await readHalts(pool);
    return evaluateDeployWindow({ at, markets, venues, halts });
  });
  if (options.json) writeJson(window);
  else for (const line of describeDeployWindow(window)) writeLine(line);
  return window.open ? 0 : 1;
}
