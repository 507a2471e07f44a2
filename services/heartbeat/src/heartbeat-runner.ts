/**
 * One heartbeat run: take the lease (or skip), mark a displaced run as stuck, run the phases in
 * order under their budgets, record the run in `atc.heartbeat_runs`, release the lease.
 *
 * Two pools: phases run on `pool`, whose `application_name` (`phaseApplicationName`) is unique to
 * the process so an over-budget phase's SQL can be cancelled by name; the lease, the run row and the
 * cancellation itself go through `leasePool`, which a phase can neither exhaust nor get cancelled.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '@atc/contracts';
import { withSpan, withTransaction, type Logger, type Pool } from '@atc/platform';
import { seededRandom, type MarketDataSource } from '@atc/trading';
import type { HeartbeatPhase, PhaseContext } from './phases/heartbeat-phase';
import { cancelBackendsOf } from './backend-cancel.queries';
import type { HeartbeatSettings } from './heartbeat.config';
import {
  finishRun,
  insertRun,
  insertSkippedRun,
  markRunStuck,
  type HeartbeatRunStatus,
  type RunError,
} from './heartbeat-runs.queries';
import { keepLease } from './lease-keeper';
import { acquireLease, releaseLease, selectLeaseHolder, type LeaseHolder } from './lease.queries';
import { executePhase, RunInterruptedError, type PhaseRecord } from './phase-executor';
import { seedOf } from './seeded-random';

export interface HeartbeatRunOptions {
  readonly pool: Pool;
  readonly leasePool: Pool;
  readonly phaseApplicationName: string;
  readonly phases: readonly HeartbeatPhase[];
  readonly settings: HeartbeatSettings;
  readonly owner: string;
  readonly logger: Logger;
  readonly marketData: MarketDataSource;
  readonly venues: PhaseContext['venues'];
  /** Aborts the run (shutdown): the current phase is cancelled, the rest skipped, the run recorded. */
  readonly signal?: AbortSignal;
  /**
   * The run's instant (read once: every phase, sample, proposal `asOf` and market session of the run
   * uses it). The system clock by default; tests and the end-to-end run pass a simulated one.
   */
  readonly clock?: Clock;
  /** The run's id; a fresh UUID by default. POST /api/heartbeat chooses it, to answer 202 with it. */
  readonly runId?: string;
}

export type HeartbeatOutcome =
  | { readonly kind: 'skipped'; readonly holder: LeaseHolder | undefined }
  | {
      readonly kind: 'ran';
      readonly runId: string;
      readonly status: Exclude<HeartbeatRunStatus, 'running' | 'skipped'>;
      readonly durationMs: number;
      readonly phases: readonly PhaseRecord[];
      readonly tookOverRunId: string | null;
    };

/**
 * One heartbeat run in its span (`heartbeat.run`): the proposals its phases take in are children of
 * it, so the trades they lead to are traces that start here.
 */
export async function runHeartbeat(options: HeartbeatRunOptions): Promise<HeartbeatOutcome> {
  const runId = options.runId ?? randomUUID();
  return withSpan('heartbeat.run', { attributes: { 'atc.heartbeat.run_id': runId } }, async (span) => {
    const outcome = await runLeased(options, runId);
    span.setAttribute('atc.heartbeat.outcome', outcome.kind === 'ran' ? outcome.status : 'skipped');
    return outcome;
  });
}

async function runLeased(options: HeartbeatRunOptions, runId: string): Promise<HeartbeatOutcome> {
  const { leasePool, owner, settings } = options;
  const lease = await acquireLease(leasePool, { owner, runId, ttlMs: settings.leaseTtlMs });
  if (!lease) {
    const holder = await selectLeaseHolder(leasePool);
    options.logger.info(
      { holder: holder?.owner, holderRunId: holder?.runId, expiresAt: holder?.expiresAt },
      'heartbeat skipped: another run holds the lease',
    );
    // Recorded so skipped runs can be counted and alerted on (the exporter reads heartbeat_runs).
    await insertSkippedRun(leasePool, { id: runId, owner });
    return { kind: 'skipped', holder };
  }
  const logger = options.logger.child({ runId });
  const now = (options.clock ?? systemClock).now();
  await withTransaction(leasePool, async (client) => {
    if (lease.previousRunId) {
      const marked = await markRunStuck(client, {
        runId: lease.previousRunId,
        owner: lease.previousOwner,
        leaseExpiredAt: lease.previousExpiresAt,
        takenOverBy: runId,
      });
      logger.warn(
        { stuckRunId: lease.previousRunId, stuckOwner: lease.previousOwner, marked },
        'took over the lease of a heartbeat run that never finished',
      );
    }
    await insertRun(client, { id: runId, owner, tookOverRunId: lease.previousRunId });
  });
  logger.info({ tookOverRunId: lease.previousRunId, at: now.toISOString() }, 'heartbeat run started');

  const interrupt = new AbortController();
  const onOuterAbort = () =>
    interrupt.abort(new RunInterruptedError('shutdown', 'the process is shutting down; run stopped'));
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const keeper = keepLease({
    db: leasePool,
    owner,
    runId,
    ttlMs: settings.leaseTtlMs,
    logger,
    onLost: (reason) => interrupt.abort(reason),
  });
  const started = performance.now();
  let phases: PhaseRecord[];
  try {
    phases = await runPhases(options, { runId, now, signal: interrupt.signal, logger, started });
  } finally {
    keeper.stop();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  return finish(options, { runId, phases, started, logger, tookOverRunId: lease.previousRunId, interrupt });
}

async function runPhases(
  options: HeartbeatRunOptions,
  run: { runId: string; now: Date; signal: AbortSignal; logger: Logger; started: number },
): Promise<PhaseRecord[]> {
  const { settings } = options;
  const records: PhaseRecord[] = [];
  const context = {
    pool: options.pool,
    now: run.now,
    random: seededRandom(settings.seed ?? seedOf(run.runId)),
    marketData: options.marketData,
    venues: options.venues,
  };
  for (const phase of options.phases) {
    const budget = settings.phaseBudgetsMs[phase.name] ?? settings.phaseBudgetMs;
    const left = settings.timeoutMs - (performance.now() - run.started);
    const skip = skipReason(run.signal, left);
    if (skip) {
      records.push({ name: phase.name, status: 'skipped', durationMs: 0, budgetMs: budget, error: skip });
      continue;
    }
    const logger = run.logger.child({ phase: phase.name });
    const record = await withSpan(
      'heartbeat.phase',
      { attributes: { 'atc.heartbeat.phase': phase.name } },
      async (span) => {
        const executed = await executePhase({
          phase,
          budgetMs: Math.max(1, Math.floor(Math.min(budget, left))),
          graceMs: settings.cancelGraceMs,
          runSignal: run.signal,
          context,
          logger,
          cancelQueries: () => cancelBackendsOf(options.leasePool, options.phaseApplicationName),
        });
        span.setAttribute('atc.heartbeat.phase_status', executed.status);
        return executed;
      },
    );
    logger.info(
      { status: record.status, durationMs: record.durationMs, summary: record.summary, error: record.error },
      'heartbeat phase finished',
    );
    records.push(record);
  }
  return records;
}

function skipReason(signal: AbortSignal, leftMs: number): PhaseRecord['error'] | undefined {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof RunInterruptedError
      ? { code: reason.code, message: reason.message }
      : { code: 'shutdown', message: 'run stopped' };
  }
  if (leftMs < 1)
    return { code: 'run_timeout', message: 'the run spent HEARTBEAT_TIMEOUT_MS before this phase' };
  return undefined;
}

/** success: every phase succeeded; failure: none did (or the lease was lost); otherwise partial. */
export function runStatusOf(
  phases: readonly PhaseRecord[],
  leaseLost: boolean,
): Exclude<HeartbeatRunStatus, 'running' | 'skipped'> {
  if (leaseLost) return 'failure';
  const succeeded = phases.filter((phase) => phase.status === 'success').length;
  if (succeeded === phases.length) return 'success';
  return succeeded === 0 ? 'failure' : 'partial_failure';
}

async function finish(
  options: HeartbeatRunOptions,
  run: {
    runId: string;
    phases: PhaseRecord[];
    started: number;
    logger: Logger;
    tookOverRunId: string | null;
    interrupt: AbortController;
  },
): Promise<HeartbeatOutcome> {
  const reason: unknown = run.interrupt.signal.reason;
  const leaseLost = reason instanceof RunInterruptedError && reason.code === 'lease_lost';
  const status = runStatusOf(run.phases, leaseLost);
  const durationMs = Math.round(performance.now() - run.started);
  const errors: RunError[] = run.phases.flatMap((phase) =>
    phase.error ? [{ phase: phase.name, code: phase.error.code, message: phase.error.message }] : [],
  );
  if (leaseLost && !errors.some((error) => error.code === 'lease_lost')) {
    errors.push({ phase: null, code: 'lease_lost', message: (reason as Error).message });
  }
  await finishRun(options.leasePool, { id: run.runId, status, durationMs, phases: run.phases, errors });
  // A run that lost its lease must not free the lease its successor now holds (the query is fenced
  // by run id, so it could not anyway).
  const released = leaseLost
    ? false
    : await releaseLease(options.leasePool, { owner: options.owner, runId: run.runId });
  const level = status === 'success' ? 'info' : 'warn';
  run.logger[level]({ status, durationMs, errors: errors.length, released }, 'heartbeat run finished');
  return {
    kind: 'ran',
    runId: run.runId,
    status,
    durationMs,
    phases: run.phases,
    tookOverRunId: run.tookOverRunId,
  };
}
