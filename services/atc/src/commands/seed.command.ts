import type { Logger } from '@atc/platform';
import { applySeeds } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { writeJson, writeLine } from '../output';
import { withCommandPool, type TradingArguments } from './trading-cli';

/** `atc seed`: agents, relationships, default policies and trigger rules; only what is missing. */
export async function runSeed(args: TradingArguments, config: CliConfig, logger: Logger): Promise<number> {
  const result = await withCommandPool(config, logger, (pool) => applySeeds(pool));
  if (args.json) writeJson(result);
  else {
    writeLine(
      `seeded ${result.policies} policies, ${result.relationships} relationships, ${result.triggerRules} trigger rules`,
    );
  }
  return 0;
}
