import { InputError, type Logger } from '@atc/platform';
import { getPolicy, setPolicy } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { readJsonFile } from './proposal.command';
import { operatorName, withCommandPool, type TradingArguments } from './trading-cli';

const USAGE = 'usage: atc policy get KEY | set KEY -f FILE';

export async function runPolicy(args: TradingArguments, config: CliConfig, logger: Logger): Promise<number> {
  const [action, key] = args.rest;
  if (!key || (action !== 'get' && action !== 'set')) throw new InputError(USAGE);
  const row = await withCommandPool(config, logger, (pool) =>
    action === 'get'
      ? getPolicy(pool, key)
      : setPolicy(pool, { key, value: readJsonFile(args.file), by: operatorName(args) }),
  );
  if (args.json) writeJson(row);
  else {
    writeLine(
      formatTable([
        { key: row.key, version: row.version, updated_by: row.updatedBy, updated_at: row.updatedAt },
      ]),
    );
    writeLine(JSON.stringify(row.value, null, 2));
  }
  return 0;
}
