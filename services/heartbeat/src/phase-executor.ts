/**
 * Runs one phase under a budget, and means it: when the budget is spent the phase's `signal` aborts,
 * its running SQL is cancelled (`cancelQueries`, plus the `SET LOCAL statement_timeout` the phase
 * derives from `remainingMs()`), its open transaction rolls back, and the phase is recorded as
 * failed with `budget_exceeded`. The runner waits up to `graceMs` for the phase to unwind; one that
 * ignores its signal past that is recorded as `abandoned` (and a one-shot process exits under it).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { errorMessage, sqlState, type Logger } from '@atc/platform';
import type { HeartbeatPhase, HeartbeatPhaseName, PhaseContext } from './phases/heartbeat-phase';

export type PhaseErrorCode = 'budget_exceeded' | 'error' | 'run_timeout' | 'lease_lost' | 'shutdown';

export interface PhaseRecord {
  readonly name: HeartbeatPhaseName;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly durationMs: number;
  readonly budgetMs: number;
  readonly summary?: Readonly<Record<string, number | string>>;
  readonly error?: { readonly code: PhaseErrorCode; readonly message: string; readonly sqlstate?: string };
  /** The phase did not settle within the grace period after cancellation. */
  readonly abandoned?: boolean;
}

/** Why a run stopped early; the reason of the run's AbortSignal. */
export class RunInterruptedError extends Error {
  constructor(
    readonly code: Exclude<PhaseErrorCode, 'budget_exceeded' | 'error' | 'run_timeout'>,
    message: string,
  ) {
    super(message);
    this.name = 'RunInterruptedError';
  }
}

export class PhaseBudgetExceededError extends Error {
  constructor(
    readonly phase: string,
    readonly budgetMs: number,
  ) {
    super(`phase ${phase} exceeded its budget of ${budgetMs} ms and was cancelled`);
    this.name = 'PhaseBudgetExceededError';
  }
}

export interface PhaseExecution {
  readonly phase: HeartbeatPhase;
  readonly budgetMs: number;
  readonly graceMs: number;
  /** Aborted when the whole run stops (lease lost, shutdown). */
  readonly runSignal: AbortSignal;
  readonly context: Omit<PhaseContext, 'signal' | 'remainingMs' | 'logger'>;
  readonly logger: Logger;
  /** Cancels the phase's in-flight SQL; called once when its signal aborts. */
  readonly cancelQueries: () => Promise<number>;
}

type Settled = { ok: true; summary: Record<string, number | string> } | { ok: false; error: unknown };

const QUERY_CANCELED = '57014';

export async function executePhase(execution: PhaseExecution): Promise<PhaseRecord> {
  const { phase, budgetMs, logger } = execution;
  const controller = new AbortController();
  const started = performance.now();
  const deadline = started + budgetMs;
  const timer = setTimeout(
    () => controller.abort(new PhaseBudgetExceededError(phase.name, budgetMs)),
    budgetMs,
  );
  const onRunAbort = () => controller.abort(execution.runSignal.reason);
  if (execution.runSignal.aborted) onRunAbort();
  else execution.runSignal.addEventListener('abort', onRunAbort, { once: true });

  const context: PhaseContext = {
    ...execution.context,
    signal: controller.signal,
    remainingMs: () => Math.max(1, Math.floor(deadline - performance.now())),
    logger,
  };
  const work: Promise<Settled> = Promise.resolve()
    .then(() => phase.run(context))
    .then(
      (result) => ({ ok: true as const, summary: { ...result.summary } }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const aborted = new Promise<'aborted'>((resolve) => {
    if (controller.signal.aborted) resolve('aborted');
    else controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    let settled = await Promise.race([work, aborted]);
    let abandoned = false;
    if (settled === 'aborted') {
      const cancelled = await execution.cancelQueries().catch((error: unknown) => {
        logger.error({ err: error }, 'could not cancel the phase queries');
        return 0;
      });
      logger.warn({ budgetMs, cancelledStatements: cancelled }, 'phase cancelled');
      const grace = new Promise<'abandoned'>((resolve) =>
        setTimeout(() => resolve('abandoned'), execution.graceMs),
      );
      const unwound = await Promise.race([work, grace]);
      abandoned = unwound === 'abandoned';
      settled = abandoned ? { ok: false, error: controller.signal.reason } : (unwound as Settled);
    }
    const durationMs = performance.now() - started;
    return recordOf({ execution, settled, durationMs, abandoned, signal: controller.signal, deadline });
  } finally {
    clearTimeout(timer);
    execution.runSignal.removeEventListener('abort', onRunAbort);
  }
}

function recordOf(input: {
  execution: PhaseExecution;
  settled: Settled;
  durationMs: number;
  abandoned: boolean;
  signal: AbortSignal;
  deadline: number;
}): PhaseRecord {
  const { execution, settled, abandoned, signal } = input;
  const base = {
    name: execution.phase.name,
    durationMs: Math.round(input.durationMs),
    budgetMs: execution.budgetMs,
  };
  // Work that committed before it noticed the abort is done: recording it as failed would lie.
  if (settled.ok) return { ...base, status: 'success', summary: settled.summary };
  const error = settled.error;
  const state = sqlState(error);
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  // The statement timeout the phase set from remainingMs() can fire a moment before our own timer.
  const overBudget =
    reason instanceof PhaseBudgetExceededError ||
    (state === QUERY_CANCELED && performance.now() >= input.deadline - 50);
  const code: PhaseErrorCode =
    reason instanceof RunInterruptedError ? reason.code : overBudget ? 'budget_exceeded' : 'error';
  const message =
    code === 'budget_exceeded'
      ? new PhaseBudgetExceededError(execution.phase.name, execution.budgetMs).message
      : errorMessage(reason ?? error);
  if (code === 'error') execution.logger.error({ err: error }, 'phase failed');
  return {
    ...base,
    status: 'failed',
    error: { code, message, ...(state ? { sqlstate: state } : {}) },
    ...(abandoned ? { abandoned: true } : {}),
  };
}
