import { InputError, type Logger } from '@atc/platform';
import { Market, type HaltsState } from '@atc/contracts';
import {
  engageKillSwitch,
  haltMarket,
  readHalts,
  releaseKillSwitch,
  resetLossLatch,
  resumeMarket,
} from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import { operatorName, withCommandPool, type TradingArguments } from './trading-cli';

const USAGE =
  'usage: atc kill-switch on --reason R [--market M] | off [--reason R] [--market M] | status | reset-latch [--reason R]';

function printHalts(halts: HaltsState, json: boolean): void {
  if (json) return writeJson(halts);
  const rows = [
    {
      scope: 'global',
      halted: halts.global !== null,
      reason: halts.global?.reason,
      by: halts.global?.by,
      since: halts.global?.since,
    },
    ...Market.options.map((market) => {
      const halt = halts.markets[market];
      return { scope: market, halted: halt !== null, reason: halt?.reason, by: halt?.by, since: halt?.since };
    }),
    {
      scope: 'daily-loss latch',
      halted: halts.lossLatch !== null,
      reason: halts.lossLatch
        ? `realised ${halts.lossLatch.realisedPnlUsd} USD on ${halts.lossLatch.tradingDay}`
        : undefined,
      by: halts.lossLatch ? 'risk-gates' : undefined,
      since: halts.lossLatch?.trippedAt,
    },
  ];
  writeLine(formatTable(rows));
}

function parseMarket(value: string | undefined): Market | undefined {
  if (value === undefined) return undefined;
  const parsed = Market.safeParse(value);
  if (!parsed.success) throw new InputError(`--market must be one of ${Market.options.join(', ')}`);
  return parsed.data;
}

/** `atc kill-switch`: every toggle is evented and audited by the trading core. */
export async function runKillSwitch(
  args: TradingArguments,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const by = operatorName(args);
  const market = parseMarket(args.market);
  const halts = await withCommandPool(config, logger, async (pool) => {
    switch (args.rest[0]) {
      case 'on': {
        const reason = args.reason?.trim();
        if (!reason) throw new InputError('kill-switch on needs --reason "…"');
        return market ? haltMarket(pool, { market, reason, by }) : engageKillSwitch(pool, { reason, by });
      }
      case 'off': {
        // Optional here, required by the API: either way it lands in the audit row.
        const reason = args.reason?.trim() ? { reason: args.reason.trim() } : {};
        return market
          ? resumeMarket(pool, { market, by, ...reason })
          : releaseKillSwitch(pool, { by, ...reason });
      }
      case 'reset-latch':
        await resetLossLatch(pool, { by, ...(args.reason?.trim() ? { reason: args.reason.trim() } : {}) });
        return readHalts(pool);
      case 'status':
        return readHalts(pool);
      default:
        throw new InputError(USAGE);
    }
  });
  printHalts(halts, args.json);
  return 0;
}
