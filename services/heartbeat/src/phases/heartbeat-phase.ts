/**
 * The contract between the heartbeat runner (`../heartbeat-runner.ts`: single flight, budgets,
 * recording in `heartbeat_runs`) and the work of each phase (this folder; the domain they call is
 * @atc/trading).
 *
 * A phase must stop when its budget runs out, and its partial work must roll back: it checks
 * `signal` between units of work, and runs its SQL in transactions opened with
 * `withTransaction(pool, fn, { statementTimeoutMs: context.remainingMs() })`, so PostgreSQL cancels
 * a statement that would overrun and the transaction is rolled back.
 * @module
 */
import type { Pool } from 'pg';
import type { Logger } from '@atc/platform';
import type { Market } from '@atc/contracts';
import type { ExecutionVenue, MarketDataSource } from '@atc/trading';

export const heartbeatPhaseNames = [
  'mark_to_market',
  'evaluate_triggers',
  'process_reactions',
  'trade_reviews',
  'expire_proposals',
  'recover_leases',
  'reconcile',
  'promote_insights',
  'learn_from_outcomes',
  'schedule_roundtables',
] as const;
export type HeartbeatPhaseName = (typeof heartbeatPhaseNames)[number];

export interface PhaseContext {
  readonly pool: Pool;
  /** Aborted when the phase's budget is spent (or the process is shutting down). */
  readonly signal: AbortSignal;
  /** Milliseconds left in this phase's budget; at least 1. */
  remainingMs(): number;
  /** The run's clock: one instant for the whole run, injectable for tests. */
  readonly now: Date;
  /** Seeded per run, so probabilistic reactions are reproducible. */
  readonly random: () => number;
  readonly logger: Logger;
  readonly marketData: MarketDataSource;
  /** Venues for reconciliation, by market. */
  readonly venues: Partial<Record<Market, ExecutionVenue>>;
}

/** What a phase reports: a few bounded figures for `heartbeat_runs.phases` and the logs. */
export interface PhaseResult {
  readonly summary: Readonly<Record<string, number | string>>;
}

export interface HeartbeatPhase {
  readonly name: HeartbeatPhaseName;
  run(context: PhaseContext): Promise<PhaseResult>;
}
