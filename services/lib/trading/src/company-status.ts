/**
 * The company at a glance, read from the database only: what `atc status` prints and `GET /api/status`
 * serves. Unrealised P&L comes from the marks the heartbeat's mark-to-market phase stores on each
 * position; a position not yet marked has none and the total says it is incomplete. Breaker states are
 * what the heartbeat's own venue clients last saw (`atc.venue_health`); no breaker has reported yet →
 * an empty list. `markets` says which markets are in session at `asOf` (the market calendar in
 * @atc/contracts): a closed market is why the heartbeat proposes nothing there.
 * @module
 */
import Decimal from 'decimal.js';
import type { Pool } from '@atc/platform';
import {
  describeSession,
  marketSession,
  markets as MARKETS,
  type HaltsState,
  type MarketSession,
} from '@atc/contracts';
import { queueDepth, type QueueDepthRow } from '@atc/queue';
import { readHalts } from './kill-switch';
import {
  selectBreakers,
  selectLastHeartbeat,
  selectOpenPositions,
  selectRealisedToday,
  selectReconciliationBacklog,
  type BreakerStatus,
  type LastHeartbeat,
  type OpenPositionStatus,
} from './company-status.queries';

export type { BreakerStatus, LastHeartbeat, OpenPositionStatus };

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

/** The status as of `asOf` (the caller's clock: the CLI's, or the API request's). */
export async function readCompanyStatus(pool: Pool, asOf: Date): Promise<CompanyStatus> {
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
