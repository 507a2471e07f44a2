import { InputError, kubeWorkloadsAccess, type Logger } from '@atc/platform';
import { Market, type HaltsState, type KillSwitchClusterReport } from '@atc/contracts';
import {
  engageKillSwitch,
  engageKillSwitchAndScaleDown,
  releaseKillSwitchAndRestore,
  haltMarket,
  readHalts,
  releaseKillSwitch,
  resetLossLatch,
  resumeMarket,
} from '@atc/trading';
import type { CliConfig } from '../cli.config';
import { formatTable, writeErrorLine, writeJson, writeLine } from '../output';
import { operatorName, withCommandPool, type TradingArguments } from './trading-cli';

const USAGE =
  'usage: atc kill-switch on --reason R [--market M | --scale-down] | off [--reason R] [--market M | --restore] | status | reset-latch [--reason R]';

/** What a subcommand did: the halts, and the cluster report of --scale-down / --restore. */
interface KillSwitchOutcome {
  readonly halts: HaltsState;
  readonly cluster?: KillSwitchClusterReport;
}

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

/** The cluster report as a table, and on stderr one line per failure plus what it means for the halt. */
function printCluster(cluster: KillSwitchClusterReport, json: boolean): void {
  if (!json) {
    writeLine();
    writeLine(`Kubernetes (${cluster.namespace ?? 'no namespace'}, ${cluster.selector}):`);
    const rows = cluster.outcomes.map((outcome) => ({
      kind: outcome.kind,
      name: outcome.name,
      result: outcome.result,
      replicas: outcome.replicas ? `${outcome.replicas.from} -> ${outcome.replicas.to}` : undefined,
      suspend: outcome.suspend ? `${outcome.suspend.from} -> ${outcome.suspend.to}` : undefined,
      status: outcome.status ?? undefined,
    }));
    writeLine(formatTable(rows, ['kind', 'name', 'result', 'replicas', 'suspend', 'status']));
  }
  if (cluster.ok) return;
  const failures = cluster.outcomes.filter((outcome) => outcome.result === 'failed');
  const halt =
    cluster.action === 'scale_down'
      ? 'the kill switch IS engaged in the database (the source of truth); the workers may still be running, so re-run `atc kill-switch on --scale-down` once the cluster answers (it is idempotent)'
      : 'the kill switch is released in the database; the workers that were not restored stay stopped until `atc kill-switch off --restore` succeeds';
  writeErrorLine(
    `error: Kubernetes ${cluster.action.replace('_', '-')} failed for ${failures.length} object(s): ${halt}`,
  );
  for (const failure of failures)
    writeErrorLine(`  ${failure.kind} ${failure.name}: ${failure.error ?? 'failed'}`);
}

/** Rejects a cluster flag next to --market: the cluster half acts on the whole release. */
function wholeRelease(flag: string, market: Market | undefined): void {
  if (market)
    throw new InputError(`${flag} acts on every worker of the release; it cannot be combined with --market`);
}

/** `atc kill-switch`: every toggle is evented and audited by the trading core. */
export async function runKillSwitch(
  args: TradingArguments,
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const by = operatorName(args);
  const market = parseMarket(args.market);
  if (args.scaleDown) wholeRelease('--scale-down', market);
  if (args.restore) wholeRelease('--restore', market);
  const result = await withCommandPool(config, logger, async (pool): Promise<KillSwitchOutcome> => {
    switch (args.rest[0]) {
      case 'on': {
        const reason = args.reason?.trim();
        if (!reason) throw new InputError('kill-switch on needs --reason "…"');
        if (args.scaleDown) {
          return engageKillSwitchAndScaleDown(pool, { reason, by, cluster: kubeWorkloadsAccess(config) });
        }
        return {
          halts: market
            ? await haltMarket(pool, { market, reason, by })
            : await engageKillSwitch(pool, { reason, by }),
        };
      }
      case 'off': {
        // Optional here, required by the API: either way it lands in the audit row.
        const reason = args.reason?.trim() ? { reason: args.reason.trim() } : {};
        if (args.restore) {
          return releaseKillSwitchAndRestore(pool, { by, ...reason, cluster: kubeWorkloadsAccess(config) });
        }
        return {
          halts: market
            ? await resumeMarket(pool, { market, by, ...reason })
            : await releaseKillSwitch(pool, { by, ...reason }),
        };
      }
      case 'reset-latch':
        await resetLossLatch(pool, { by, ...(args.reason?.trim() ? { reason: args.reason.trim() } : {}) });
        return { halts: await readHalts(pool) };
      case 'status':
        return { halts: await readHalts(pool) };
      default:
        throw new InputError(USAGE);
    }
  });
  if (!result.cluster) {
    printHalts(result.halts, args.json);
    return 0;
  }
  if (args.json) writeJson({ ...result.halts, cluster: result.cluster });
  else printHalts(result.halts, false);
  printCluster(result.cluster, args.json);
  return result.cluster.ok ? 0 : 1;
}
