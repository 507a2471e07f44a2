/**
 * The gauges of the business-metrics exporter, each filled from the shared snapshot at scrape time.
 * Names, labels and meanings are the contract of docs/operations/metrics.md (alert rules and
 * dashboards use them: a rename breaks the metric-name cross-check).
 * @module
 */
import { markets, type Market } from '@atc/contracts';
import { Gauge, type Registry } from '@atc/platform';
import type { BusinessMetricsSnapshot } from '@atc/trading';

interface SnapshotSource {
  current(): Promise<BusinessMetricsSnapshot | undefined>;
}

type Labels = Record<string, string>;
type Fill = (set: (labels: Labels, value: number) => void, snapshot: BusinessMetricsSnapshot) => void;

interface GaugeDefinition {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly fill: Fill;
}

const queueStatuses = ['queued', 'running', 'executing', 'needs_reconciliation'] as const;
const executionResults = ['filled', 'rejected', 'failed', 'needs_reconciliation'] as const;

/**
 * Money: the database holds numeric and the snapshot decimal strings; Prometheus values are float64,
 * so this is the one place a USD amount becomes a number (exact to the cent far beyond any book here).
 */
const usd = (amount: string): number => Number(amount);

const perMarket = (fill: (market: Market, snapshot: BusinessMetricsSnapshot) => number): Fill => {
  return (set, snapshot) => {
    for (const market of markets) set({ market }, fill(market, snapshot));
  };
};

const definitions: readonly GaugeDefinition[] = [
  {
    name: 'atc_heartbeat_last_success_timestamp_seconds',
    help: 'End of the newest heartbeat run that succeeded, Unix seconds; 0 when none has.',
    labelNames: [],
    fill: (set, s) => set({}, s.heartbeat.lastSuccessAt ? s.heartbeat.lastSuccessAt.getTime() / 1000 : 0),
  },
  {
    name: 'atc_heartbeat_last_success_duration_seconds',
    help: 'How long the newest succeeded heartbeat run took.',
    labelNames: [],
    fill: (set, s) => {
      if (s.heartbeat.lastSuccessDurationSeconds !== null) set({}, s.heartbeat.lastSuccessDurationSeconds);
    },
  },
  {
    name: 'atc_heartbeat_last_success_phase_duration_seconds',
    help: 'How long each phase of the newest succeeded heartbeat run took.',
    labelNames: ['phase'],
    fill: (set, s) => {
      for (const p of s.heartbeat.lastSuccessPhaseSeconds) set({ phase: p.phase }, p.seconds);
    },
  },
  {
    name: 'atc_heartbeat_runs_last_hour',
    help: 'Heartbeat runs started in the last hour, by outcome (succeeded, failed, skipped).',
    labelNames: ['outcome'],
    fill: (set, s) => {
      for (const [outcome, count] of Object.entries(s.heartbeat.runsLastHour)) set({ outcome }, count);
    },
  },
  {
    name: 'atc_queue_depth',
    help: 'Steps by market and unfinished status (queued, running, executing, needs_reconciliation).',
    labelNames: ['market', 'status'],
    fill: (set, s) => {
      for (const market of markets) for (const status of queueStatuses) set({ market, status }, 0);
      for (const row of s.queue) set({ market: row.market, status: row.status }, row.count);
    },
  },
  {
    name: 'atc_queue_oldest_queued_age_seconds',
    help: 'How long the oldest due queued step of a market has waited to be claimed; 0 when none.',
    labelNames: ['market'],
    fill: perMarket((market, s) => s.oldestQueuedAgeSeconds[market]),
  },
  {
    name: 'atc_reconciliation_backlog',
    help: 'Steps needing reconciliation (order outcome unknown), by market.',
    labelNames: ['market'],
    fill: perMarket((market, s) => s.reconciliation[market].count),
  },
  {
    name: 'atc_reconciliation_oldest_age_seconds',
    help: 'How long the oldest step needing reconciliation has waited; 0 when none.',
    labelNames: ['market'],
    fill: perMarket((market, s) => s.reconciliation[market].oldestAgeSeconds),
  },
  {
    name: 'atc_positions_open',
    help: 'Open positions, by market.',
    labelNames: ['market'],
    fill: perMarket((market, s) => s.positionsOpen[market]),
  },
  {
    name: 'atc_exposure_usd',
    help: 'Exposure of the open positions in USD, measured as the total-exposure cap measures it.',
    labelNames: ['market'],
    fill: perMarket((market, s) => usd(s.exposureUsd[market])),
  },
  {
    name: 'atc_pnl_today_usd',
    help: "Realised P&L of today's fills in USD (the calendar policy's trading day), by market.",
    labelNames: ['market'],
    fill: perMarket((market, s) => usd(s.pnlTodayUsd[market])),
  },
  {
    name: 'atc_kill_switch_engaged',
    help: 'Trading halted: 1 engaged, 0 not; scope is global (the kill switch) or a market.',
    labelNames: ['scope'],
    fill: (set, s) => {
      set({ scope: 'global' }, s.killSwitch.global ? 1 : 0);
      for (const market of markets) set({ scope: market }, s.killSwitch[market] ? 1 : 0);
    },
  },
  {
    name: 'atc_loss_latch_engaged',
    help: 'The daily-loss latch: 1 tripped (reduce-only until an operator resets it), 0 not.',
    labelNames: [],
    fill: (set, s) => set({}, s.lossLatchEngaged ? 1 : 0),
  },
  {
    name: 'atc_position_drift',
    help: "Open positions whose ledger and venue quantities differ, per the newest succeeded run's reconcile.",
    labelNames: ['market'],
    fill: perMarket((market, s) => s.positionDrift[market]),
  },
  {
    name: 'atc_trade_executions_last_hour',
    help: 'Orders of the last hour with a result, by market and result (filled, rejected, failed, needs_reconciliation).',
    labelNames: ['market', 'result'],
    fill: (set, s) => {
      for (const market of markets) for (const result of executionResults) set({ market, result }, 0);
      for (const row of s.tradeExecutionsLastHour) set({ market: row.market, result: row.result }, row.count);
    },
  },
];

/** Registers every business gauge, plus the exporter's last-success time, on `registry`. */
export function businessGauges(
  registry: Registry,
  source: SnapshotSource,
  lastSuccessSeconds: () => number,
): void {
  for (const definition of definitions) {
    const gauge: Gauge = new Gauge({
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labelNames],
      registers: [registry],
      async collect() {
        const snapshot = await source.current();
        // Never read: nothing to say yet (a read failed from the start; the errors counter says so).
        if (!snapshot) return;
        gauge.reset();
        definition.fill((labels, value) => gauge.set(labels, value), snapshot);
      },
    });
  }
  new Gauge({
    name: 'atc_exporter_last_success_timestamp_seconds',
    help: 'When the business metrics were last read without error, Unix seconds; 0 before the first.',
    registers: [registry],
    async collect() {
      await source.current();
      this.set(lastSuccessSeconds());
    },
  });
}
