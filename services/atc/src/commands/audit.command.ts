import { InputError, type Logger } from '@atc/platform';
import { verifyAuditChain } from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { writeJson, writeLine } from '../output';
import { withCommandPool, type TradingArguments } from './trading-cli';

/** `atc audit verify`: exit 0 when the whole chain holds, 1 naming the first broken row. */
export async function runAudit(args: TradingArguments, config: CliConfig, logger: Logger): Promise<number> {
  if (args.rest[0] !== 'verify') throw new InputError('usage: atc audit verify');
  const result = await withCommandPool(config, logger, (pool) => verifyAuditChain(pool));
  if (args.json) writeJson(result);
  else if (result.ok) writeLine(`audit log intact: ${result.checked} rows verified`);
  else {
    writeLine(
      `audit log BROKEN at row ${result.firstBroken?.id}: ${result.firstBroken?.problem} ` +
        `(${result.checked} rows before it verified)`,
    );
  }
  return result.ok ? 0 : 1;
}
