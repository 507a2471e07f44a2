/**
 * The figures agents reason from, read from the database. Money and fractions are decimal strings;
 * a fraction with no denominator (no trades, no limit) is null rather than a made-up zero.
 * @module
 */
import Decimal from 'decimal.js';
import type { Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';
import { readPolicySnapshot, selectOpenExposure, tradingDayOf } from '@atc/trading';
import {
  selectInstrumentMoves,
  selectOperationsFigures,
  selectOutcomeTotals,
  selectRealisedPnlOnDay,
  type OperationsFigures,
} from './analysis-figures.queries';

export const ANALYSIS_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Instruments a market study reports at most. */
export const MAX_INSTRUMENTS = 20;

const fraction = (numerator: Decimal.Value, denominator: Decimal.Value): string | null =>
  new Decimal(denominator).isZero() ? null : new Decimal(numerator).dividedBy(denominator).toFixed(4);

export interface InstrumentFigures {
  readonly market: Market;
  readonly instrument: string;
  readonly samples: number;
  readonly last: string;
  /** (last − first) / first over the window. */
  readonly move: string;
  /** (high − low) / low over the window. */
  readonly range: string;
}

export interface MarketFigures {
  readonly study: 'market';
  readonly market: Market | null;
  readonly windowHours: number;
  readonly instruments: InstrumentFigures[];
}

export async function marketFigures(db: Queryable, market: Market | null, now: Date): Promise<MarketFigures> {
  const since = new Date(now.getTime() - ANALYSIS_WINDOW_MS);
  const moves = await selectInstrumentMoves(db, { market, since, limit: MAX_INSTRUMENTS });
  return {
    study: 'market',
    market,
    windowHours: ANALYSIS_WINDOW_MS / 3_600_000,
    instruments: moves.map((m) => ({
      market: m.market,
      instrument: m.instrument,
      samples: m.samples,
      last: m.last,
      move: fraction(new Decimal(m.last).minus(m.first), m.first)!,
      range: fraction(new Decimal(m.high).minus(m.low), m.low)!,
    })),
  };
}

export interface PerformanceFigures {
  readonly study: 'performance';
  readonly market: Market | null;
  readonly windowHours: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: string | null;
  readonly realisedPnl: string;
  readonly averageWinner: string | null;
  readonly averageLoser: string | null;
}

export async function performanceFigures(
  db: Queryable,
  market: Market | null,
  now: Date,
): Promise<PerformanceFigures> {
  const since = new Date(now.getTime() - ANALYSIS_WINDOW_MS);
  const totals = await selectOutcomeTotals(db, { market, since });
  const average = (sum: string, count: number) =>
    count === 0 ? null : new Decimal(sum).dividedBy(count).toFixed(2);
  return {
    study: 'performance',
    market,
    windowHours: ANALYSIS_WINDOW_MS / 3_600_000,
    trades: totals.trades,
    wins: totals.wins,
    losses: totals.losses,
    winRate: fraction(totals.wins, totals.trades),
    realisedPnl: new Decimal(totals.realisedPnl).toFixed(2),
    averageWinner: average(totals.winnersPnl, totals.wins),
    averageLoser: average(totals.losersPnl, totals.losses),
  };
}

export interface OperationsStudy extends OperationsFigures {
  readonly study: 'operations';
  readonly windowHours: number;
}

export async function operationsFigures(db: Queryable, now: Date): Promise<OperationsStudy> {
  const figures = await selectOperationsFigures(db, new Date(now.getTime() - ANALYSIS_WINDOW_MS));
  return { study: 'operations', windowHours: ANALYSIS_WINDOW_MS / 3_600_000, ...figures };
}

export interface RiskFigures {
  readonly study: 'risk';
  readonly policyVersion: number;
  readonly openPositions: number;
  readonly maxOpenPositions: number;
  readonly exposureUsd: string;
  readonly maxTotalExposureUsd: string;
  /** exposure / limit. */
  readonly exposureUtilisation: string;
  readonly exposureByMarket: Record<string, string>;
  readonly tradingDay: string;
  readonly realisedPnlToday: string;
  /** The day's realised loss (0 when the day is up). */
  readonly realisedLossToday: string;
  readonly maxDailyLossUsd: string;
  /** loss / limit. */
  readonly dailyLossUtilisation: string;
  readonly halted: boolean;
}

export async function riskFigures(db: Queryable, now: Date): Promise<RiskFigures> {
  const policies = await readPolicySnapshot(db);
  const limits = policies.tradeLimits;
  // Measured as the gates measure it (futures to the stop under `risk_to_stop`), not at face value.
  const open = await selectOpenExposure(db, policies.pricing, now);
  const exposureUsd = open.reduce((sum, p) => sum.plus(p.exposureUsd), new Decimal(0));
  const byMarket = new Map<string, Decimal>();
  for (const p of open)
    byMarket.set(p.market, (byMarket.get(p.market) ?? new Decimal(0)).plus(p.exposureUsd));
  const tradingDay = tradingDayOf(policies.calendar.timeZone, now);
  const pnl = new Decimal(await selectRealisedPnlOnDay(db, policies.calendar.timeZone, tradingDay));
  const loss = Decimal.max(0, pnl.negated());
  return {
    study: 'risk',
    policyVersion: policies.version,
    openPositions: open.length,
    maxOpenPositions: limits.maxOpenPositions,
    exposureUsd: exposureUsd.toFixed(2),
    maxTotalExposureUsd: limits.maxTotalExposureUsd,
    exposureUtilisation: fraction(exposureUsd, limits.maxTotalExposureUsd)!,
    exposureByMarket: Object.fromEntries([...byMarket].map(([market, usd]) => [market, usd.toFixed(2)])),
    tradingDay,
    realisedPnlToday: pnl.toFixed(2),
    realisedLossToday: loss.toFixed(2),
    maxDailyLossUsd: limits.maxDailyLossUsd,
    dailyLossUtilisation: fraction(loss, limits.maxDailyLossUsd)!,
    halted: policies.halts.global !== null || Object.values(policies.halts.markets).some((h) => h !== null),
  };
}
