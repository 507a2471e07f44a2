/**
 * One snapshot of everything the business metrics export (docs/operations/metrics.md), read from the
 * database only. Money stays a decimal string here; the exporter turns it into a float where it sets
 * the gauge. Every per-market figure lists all three markets (0 when there is nothing), so a series
 * never disappears when its market goes quiet.
 * @module
 */
import { performance } from 'node:perf_hooks';
import Decimal from 'decimal.js';
import type { Queryable } from '@atc/platform';
import { markets, type Market } from '@atc/contracts';
import { selectRealisedToday } from '../company-status.queries';
import { openPositionExposure } from '../open-exposure';
import { readPolicySnapshot } from '../policies';
import { selectOpenPositionFigures } from '../risk-gates.queries';
import {
  selectHeartbeatRunsSince,
  selectLastSucceededRun,
  selectQueueFigures,
  selectTradeExecutionsSince,
  type HeartbeatOutcome,
  type QueueFigures,
  type TradeExecutionResult,
} from './business-metrics.queries';

export type ByMarket<T> = Readonly<Record<Market, T>>;

export interface BusinessMetricsSnapshot {
  readonly asOf: Date;
  readonly heartbeat: {
    /** End of the newest succeeded run; null when no run has succeeded. */
    readonly lastSuccessAt: Date | null;
    readonly lastSuccessDurationSeconds: number | null;
    readonly lastSuccessPhaseSeconds: readonly { readonly phase: string; readonly seconds: number }[];
    readonly runsLastHour: Readonly<Record<HeartbeatOutcome, number>>;
  };
  /** Unfinished steps; `market` is 'none' for agent work that belongs to no market. */
  readonly queue: readonly {
    readonly market: Market | 'none';
    readonly status: string;
    readonly count: number;
  }[];
  readonly oldestQueuedAgeSeconds: ByMarket<number>;
  readonly reconciliation: ByMarket<{ readonly count: number; readonly oldestAgeSeconds: number }>;
  readonly positionsOpen: ByMarket<number>;
  /** Decimal strings, USD: open positions measured as the exposure cap measures them. */
  readonly exposureUsd: ByMarket<string>;
  /** Decimal strings, USD: realised P&L of today's fills (the calendar policy's trading day). */
  readonly pnlTodayUsd: ByMarket<string>;
  readonly killSwitch: { readonly global: boolean } & ByMarket<boolean>;
  readonly lossLatchEngaged: boolean;
  /** Positions whose ledger and venue quantities differ, as the newest succeeded run's reconcile found. */
  readonly positionDrift: ByMarket<number>;
  readonly tradeExecutionsLastHour: readonly {
    readonly market: Market;
    readonly result: TradeExecutionResult;
    readonly count: number;
  }[];
}

/** The names the exporter labels `atc_exporter_query_duration_seconds{query}` with. */
export const businessMetricsQueries = [
  'heartbeat_last_success',
  'heartbeat_runs',
  'queue',
  'positions',
  'pnl_today',
  'policies',
  'trade_executions',
] as const;
export type BusinessMetricsQuery = (typeof businessMetricsQueries)[number];

export interface ReadBusinessMetricsOptions {
  readonly asOf: Date;
  /** Told how long each query took, in seconds. */
  readonly observe?: (query: BusinessMetricsQuery, seconds: number) => void;
}

const HOUR_MS = 3_600_000;

function perMarket<T>(value: (market: Market) => T): ByMarket<T> {
  return Object.fromEntries(markets.map((market) => [market, value(market)])) as Record<Market, T>;
}

const ageSeconds = (asOf: Date, since: Date | null) =>
  since === null ? 0 : Math.max(0, (asOf.getTime() - since.getTime()) / 1000);

export async function readBusinessMetrics(
  db: Queryable,
  options: ReadBusinessMetricsOptions,
): Promise<BusinessMetricsSnapshot> {
  const { asOf } = options;
  const timed = async <T>(query: BusinessMetricsQuery, read: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await read();
    options.observe?.(query, (performance.now() - started) / 1000);
    return result;
  };
  const hourAgo = new Date(asOf.getTime() - HOUR_MS);
  const [lastRun, runs, queue, positions, realised, policies, executions] = await Promise.all([
    timed('heartbeat_last_success', () => selectLastSucceededRun(db)),
    timed('heartbeat_runs', () => selectHeartbeatRunsSince(db, hourAgo)),
    timed('queue', () => selectQueueFigures(db, asOf)),
    timed('positions', () => selectOpenPositionFigures(db)),
    timed('pnl_today', () => selectRealisedToday(db, asOf)),
    timed('policies', () => readPolicySnapshot(db)),
    timed('trade_executions', () => selectTradeExecutionsSince(db, hourAgo)),
  ]);
  const phases = phaseRecords(lastRun?.phases);
  const exposures = positions.map((row) => openPositionExposure(row, policies.pricing, asOf));
  const { halts } = policies;
  return {
    asOf,
    heartbeat: {
      lastSuccessAt: lastRun?.finishedAt ?? null,
      lastSuccessDurationSeconds: lastRun ? lastRun.durationMs / 1000 : null,
      lastSuccessPhaseSeconds: phases.map((p) => ({ phase: p.name, seconds: p.durationMs / 1000 })),
      runsLastHour: {
        succeeded: runs.find((r) => r.outcome === 'succeeded')?.count ?? 0,
        failed: runs.find((r) => r.outcome === 'failed')?.count ?? 0,
        skipped: runs.find((r) => r.outcome === 'skipped')?.count ?? 0,
      },
    },
    queue: queue.map((row) => ({ market: row.market ?? 'none', status: row.status, count: row.count })),
    oldestQueuedAgeSeconds: perMarket((market) =>
      ageSeconds(
        asOf,
        oldest(queue, market, 'queued', (row) => row.oldestDueAt),
      ),
    ),
    reconciliation: perMarket((market) => {
      const row = queue.find((r) => r.market === market && r.status === 'needs_reconciliation');
      return { count: row?.count ?? 0, oldestAgeSeconds: ageSeconds(asOf, row?.oldestSince ?? null) };
    }),
    positionsOpen: perMarket((market) => positions.filter((p) => p.market === market).length),
    exposureUsd: perMarket((market) =>
      exposures
        .filter((e) => e.market === market)
        .reduce((sum, e) => sum.plus(e.exposureUsd), new Decimal(0))
        .toFixed(),
    ),
    pnlTodayUsd: perMarket((market) => realised.find((r) => r.market === market)?.realisedPnl ?? '0'),
    killSwitch: { global: halts.global !== null, ...perMarket((market) => halts.markets[market] !== null) },
    lossLatchEngaged: halts.lossLatch !== null,
    positionDrift: perMarket((market) => driftOf(phases, market)),
    tradeExecutionsLastHour: executions,
  };
}

function oldest(
  rows: readonly QueueFigures[],
  market: Market,
  status: QueueFigures['status'],
  pick: (row: QueueFigures) => Date | null,
): Date | null {
  const row = rows.find((r) => r.market === market && r.status === status);
  return row ? pick(row) : null;
}

interface PhaseRecordLike {
  readonly name: string;
  readonly durationMs: number;
  readonly summary?: Readonly<Record<string, unknown>>;
}

/** The runner writes the phases; read defensively all the same (an old row may lack a field). */
function phaseRecords(value: unknown): PhaseRecordLike[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p): p is PhaseRecordLike =>
      typeof p === 'object' &&
      p !== null &&
      typeof (p as PhaseRecordLike).name === 'string' &&
      typeof (p as PhaseRecordLike).durationMs === 'number',
  );
}

/** The reconcile phase reports drift per market as `drift:<market>` in its summary (heartbeat). */
function driftOf(phases: readonly PhaseRecordLike[], market: Market): number {
  const found = phases.find((p) => p.name === 'reconcile')?.summary?.[`drift:${market}`];
  return typeof found === 'number' ? found : 0;
}
