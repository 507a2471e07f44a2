/**
 * `atc status [--json]`: the company at a glance, read from the database only. Unrealised P&L comes
 * from the marks the heartbeat's mark-to-market phase stores on each position; a position not yet
 * marked has none and the total says it is incomplete. Breaker states are what the heartbeat's own
 * venue clients last saw (`atc.venue_health`); no breaker has reported yet → an empty list.
 * `markets` says which markets are in session at `asOf` (the market calendar in @atc/contracts): a
 * closed market is why the heartbeat proposes nothing there, and status says so.
 * @module
 */
import Decimal from 'decimal.js';
import type { Logger, Pool } from '@atc/platform';
import {
  describeSession,
  marketSession,
  systemClock,
  type HaltsState,
  type Market,
  type MarketSession,
} from '@atc/contracts';
import { readHalts } from '@atc/trading';
import { queueDepth, type QueueDepthRow } from '@atc/queue';
import type { CliConfig } from '../cli.config';
import { formatTable, writeJson, writeLine } from '../output';
import {
  selectBreakers,
  selectLastHeartbeat,
  selectOpenPositions,
  selectRealisedToday,
  selectReconciliationBacklog,
  type BreakerStatus,
  type LastHeartbeat,
  type OpenPositionStatus,
} from './status.queries';
import { withCommandPool } from './trading-cli';

export interface CompanyStatus {
  readonly asOf: string;
  readonly markets: readonly (MarketSession & { readonly session: string })[];
  readonly positions: readonly OpenPositionStatus[];
  readonly pnl: {
    readonly tradingDay: string;
    readonly timeZone: string;
    readonly realisedToday: string;
    readonly realisedTodayByMarket: Readonly<Record<string, string>>;
    /** Sum over marked positions; `unmarkedPositions` > 0 means it leaves some out. */
    readonly unrealised: string;
    readonly unmarkedPositions: number;
  };
  readonly queue: readonly QueueDepthRow[];
  readonly heartbeat: { readonly lastRun: LastHeartbeat | null };
  readonly breakers: readonly BreakerStatus[];
  readonly halts: HaltsState;
  readonly reconciliation: { readonly count: number; readonly oldestAgeSeconds: number | null };
}

const MARKETS: readonly Market[] = ['crypto', 'options', 'futures'];

export async function readCompanyStatus(pool: Pool, asOf: Date = systemClock.now()): Promise<CompanyStatus> {
  const [positions, realised, queue, lastRun, breakers, halts, backlog] = await Promise.all([
    selectOpenPositions(pool),
    selectRealisedToday(pool, asOf),
    queueDepth(pool),
    selectLastHeartbeat(pool),
    selectBreakers(pool),
    readHalts(pool),
    selectReconciliationBacklog(pool),
  ]);
  const total = realised.find((row) => row.market === null);
  const unrealised = positions.reduce(
    (sum, position) => (position.unrealisedPnl === null ? sum : sum.plus(position.unrealisedPnl)),
    new Decimal(0),
  );
  return {
    asOf: asOf.toISOString(),
    markets: MARKETS.map((market) => {
      const session = marketSession(market, asOf);
      return { ...session, session: describeSession(session) };
    }),
    positions,
    pnl: {
      tradingDay: total?.tradingDay ?? '',
      timeZone: total?.timeZone ?? '',
      realisedToday: total?.realisedPnl ?? '0',
      realisedTodayByMarket: Object.fromEntries(
        realised.flatMap((row) => (row.market ? [[row.market, row.realisedPnl]] : [])),
      ),
      unrealised: unrealised.toString(),
      unmarkedPositions: positions.filter((position) => position.markPrice === null).length,
    },
    queue,
    heartbeat: { lastRun: lastRun ?? null },
    breakers,
    halts,
    reconciliation: {
      count: backlog.count,
      oldestAgeSeconds:
        backlog.oldestSince === null
          ? null
          : Math.max(0, Math.round((asOf.getTime() - backlog.oldestSince.getTime()) / 1000)),
    },
  };
}

function haltSummary(halts: HaltsState): string {
  const parts: string[] = [];
  if (halts.global) parts.push(`KILL SWITCH ON (${halts.global.reason}, by ${halts.global.by})`);
  for (const [market, halt] of Object.entries(halts.markets)) {
    if (halt) parts.push(`${market} halted (${halt.reason})`);
  }
  if (halts.lossLatch) parts.push(`daily-loss latch tripped (${halts.lossLatch.realisedPnlUsd} USD)`);
  return parts.length === 0 ? 'trading (no halt)' : parts.join('; ');
}

function printStatus(status: CompanyStatus): void {
  const run = status.heartbeat.lastRun;
  writeLine(`atc status at ${status.asOf}`);
  writeLine('');
  writeLine(`halts:           ${haltSummary(status.halts)}`);
  writeLine(`markets:         ${status.markets.map((m) => `${m.market} ${m.session}`).join('; ')}`);
  writeLine(
    `last heartbeat:  ${
      run
        ? `${run.status} at ${run.startedAt.toISOString()}, ${run.durationMs ?? '?'} ms (${run.errors.length} errors)`
        : 'never ran'
    }`,
  );
  const unmarked = status.pnl.unmarkedPositions;
  writeLine(
    `P&L today:       realised ${status.pnl.realisedToday} USD (${status.pnl.tradingDay}, ${status.pnl.timeZone}); ` +
      `unrealised ${status.pnl.unrealised} USD${unmarked > 0 ? ` (${unmarked} position(s) not yet marked, left out)` : ''}`,
  );
  const backlog = status.reconciliation;
  writeLine(
    `reconciliation:  ${backlog.count} step(s) need it${backlog.oldestAgeSeconds === null ? '' : `, oldest ${backlog.oldestAgeSeconds} s`}`,
  );
  writeLine('');
  writeLine('open positions');
  writeLine(
    formatTable(
      status.positions.map((row) => ({ ...row })),
      ['market', 'symbol', 'side', 'quantity', 'averagePrice', 'markPrice', 'unrealisedPnl'],
    ),
  );
  writeLine('');
  writeLine('queue (unfinished steps)');
  writeLine(
    formatTable(
      status.queue.map((row) => ({ ...row })),
      ['market', 'status', 'count'],
    ),
  );
  writeLine('');
  writeLine('venue breakers (as the heartbeat last saw them)');
  writeLine(
    formatTable(
      status.breakers.map((row) => ({ ...row })),
      ['venue', 'state', 'reporter', 'reportedAt'],
    ),
  );
}

export async function runStatus(
  options: { json: boolean },
  config: CliConfig,
  logger: Logger,
): Promise<number> {
  const status = await withCommandPool(config, logger, (pool) => readCompanyStatus(pool));
  if (options.json) writeJson(status);
  else printStatus(status);
  return 0;
}
