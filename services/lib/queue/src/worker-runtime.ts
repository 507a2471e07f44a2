import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { contextOfTraceparent, errorMessage, tracingActive, withSpan, type Logger } from '@atc/platform';
import type { Market, StepKind } from '@atc/contracts';
import {
  claimAgentSteps,
  claimSteps,
  renewLeases,
  withTraceparents,
  type ClaimedStep,
  type StepLease,
} from './step-queue.queries';
import { releaseUnstartedSteps } from './step-transitions.queries';
import {
  DEFAULT_STEP_BACKOFF,
  settleStep,
  type RetryBackoff,
  type StepExecutionContext,
  type StepExecutor,
  type StepOutcome,
} from './step-runner';
import { PrefetchPace } from './prefetch-pace';
import { SettleBatcher } from './settle-batcher';
import type { WorkerMetrics } from './worker-metrics';

export interface WorkerRuntimeOptions {
  readonly pool: Pool;
  /** The market whose steps this runtime claims; null for agent work (analysis, roundtables) of any market. */
  readonly market: Market | null;
  readonly workerId: string;
  readonly kinds: readonly StepKind[];
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly leaseRenewIntervalMs: number;
  readonly pollIntervalMs: number;
  readonly executor: StepExecutor;
  /** False while the venue's breaker is open or the market is halted: the worker then claims nothing. */
  readonly mayClaim: () => Promise<boolean> | boolean;
  readonly logger: Logger;
  readonly metrics?: WorkerMetrics;
  readonly backoff?: RetryBackoff;
  /**
   * The most steps claimed ahead of free slots, held (leased) in a local queue so a finished step's
   * slot is refilled without waiting for a claim round trip, and claims come in batches. The runtime
   * holds only what its slots get through in about one claim (PrefetchPace): quick steps up to this
   * ceiling, slow ones none. 0 claims only for free slots.
   */
  readonly prefetch?: number;
  /**
   * The group commit this runtime settles steps through. Runtimes sharing a pool should share one
   * (the role's main builds it for its pool); without it the runtime builds its own on `pool`.
   */
  readonly settleBatcher?: SettleBatcher;
  /**
   * Milliseconds on a monotonic clock, read to time claims and executors for the prefetch pace;
   * `performance.now` by default. A test passes one it advances, so the pace it sees does not
   * depend on how loaded the machine is.
   */
  readonly monotonicNow?: () => number;
}

/**
 * One step from launch to settle, and the context its executor sees. Its logger and abort signal
 * are made on first use: most executors never look at the signal, most steps log only at info, and
 * a child logger or an AbortController per step cost more than a no-op step's whole run.
 */
class StepRun implements StepExecutionContext {
  readonly lease: StepLease;
  done: Promise<void> = Promise.resolve();
  private controller: AbortController | undefined;
  private abortedWith: Error | undefined;
  private stepLogger: Logger | undefined;

  constructor(
    readonly step: ClaimedStep,
    workerId: string,
    private readonly parentLogger: Logger,
  ) {
    this.lease = { stepId: step.id, workerId, attempt: step.attempt };
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.abortedWith && !this.controller.signal.aborted) this.controller.abort(this.abortedWith);
    return this.controller.signal;
  }

  get logger(): Logger {
    return (this.stepLogger ??= this.parentLogger.child({
      stepId: this.step.id,
      missionId: this.step.missionId,
      kind: this.step.kind,
      attempt: this.step.attempt,
    }));
  }

  /** Aborts the executor (its lease was lost). */
  abort(reason: Error): void {
    this.abortedWith ??= reason;
    this.controller?.abort(reason);
  }
}

/**
 * Finished steps whose settle has not committed yet, at most: past it the runtime starts no more
 * steps until settles catch up (backpressure when the database is slow).
 */
const MAX_UNSETTLED_STEPS = 96;

/**
 * Claims steps of one market and runs them, at most `concurrency` executors at a time. Wakes on a
 * LISTEN notification (`wake()`), on every finished step, and on a poll timer as a fallback. Renews
 * the leases of held steps; a step whose lease is lost is aborted and settles nothing.
 *
 * A slot is freed when its executor returns, not when the step's settle commits: the settle is
 * bookkeeping, group-committed with other steps' (SettleBatcher), and the step keeps its lease —
 * renewed, fenced — until then. A worker that dies in between leaves a `running` step whose lease
 * expires and which is run again, exactly as if it had died during the executor. (Trade steps
 * commit their own outcome before the executor returns — outcome `settled` — so for them nothing
 * is pending.) At most MAX_UNSETTLED_STEPS wait for their settle.
 *
 * `drain()` stops claiming and waits for in-flight steps and their settles (the shutdown deadline
 * bounds the wait).
 */
export class WorkerRuntime {
  /** Started and not yet settled: executing, or waiting for their settle to commit. */
  private readonly inFlight = new Map<string, StepRun>();
  /** Executors running now (≤ concurrency). */
  private executing = 0;
  /** Claimed, leased, not started yet (see `prefetch`). */
  private readonly ready: ClaimedStep[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private wakeAgain = false;
  private draining = false;

  /** Metric label for the market: `agents` for market-less agent work. */
  private readonly marketLabel: string;
  /** How many steps to hold ahead of free slots, from the measured claim and step durations. */
  private readonly pace: PrefetchPace;
  private readonly settleBatcher: SettleBatcher;
  private readonly now: () => number;

  constructor(private readonly options: WorkerRuntimeOptions) {
    this.marketLabel = options.market ?? 'agents';
    this.settleBatcher = options.settleBatcher ?? new SettleBatcher(options.pool);
    this.now = options.monotonicNow ?? (() => performance.now());
    this.pace = new PrefetchPace(options.prefetch ?? 0, options.concurrency);
  }

  /** Executors running now. */
  get inFlightCount(): number {
    return this.executing;
  }

  start(): void {
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.renewTimer = setInterval(() => void this.renewHeldLeases(), this.options.leaseRenewIntervalMs);
    this.wake();
  }

  /** Asks for a claim round; coalesces bursts of wake-ups into one round at a time. */
  wake(): void {
    if (this.draining) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    this.claiming = this.claimRound()
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'claim round failed; will retry on next wake'),
      )
      .finally(() => {
        this.claiming = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Stops claiming, then waits for every in-flight step to settle. */
  async drain(): Promise<void> {
    this.draining = true;
    clearInterval(this.pollTimer);
    await this.claiming;
    if (this.ready.length > 0) {
      // Claimed but never started: hand them back to the queue at once rather than at lease expiry.
      const unstarted = this.ready.splice(0);
      // One statement: the fenced hand-back with its event and mission roll-ups (atc.transition_steps).
      await releaseUnstartedSteps(this.options.pool, this.options.workerId, unstarted).catch(
        (error: unknown) =>
          this.options.logger.warn(
            { err: error },
            'releasing unstarted steps failed; their leases will expire',
          ),
      );
    }
    this.options.logger.info({ inFlight: this.inFlight.size }, 'draining: waiting for in-flight steps');
    await Promise.all([...this.inFlight.values()].map((run) => run.done));
    clearInterval(this.renewTimer);
  }

  private async claimRound(): Promise<void> {
    const prefetch = this.pace.target;
    // With a local queue, claim only once it is half empty, so claims come in batches.
    if (prefetch > 0 && this.ready.length > prefetch / 2) return;
    const free = this.options.concurrency + prefetch - this.executing - this.ready.length;
    if (free <= 0 || !(await this.options.mayClaim())) return;
    const stopTimer = this.options.metrics?.claimDuration.startTimer({ market: this.marketLabel });
    const claim = {
      workerId: this.options.workerId,
      limit: free,
      leaseMs: this.options.leaseMs,
      kinds: this.options.kinds,
    };
    const claimStarted = this.now();
    const claimed =
      this.options.market === null
        ? await claimAgentSteps(this.options.pool, claim)
        : await claimSteps(this.options.pool, { ...claim, market: this.options.market });
    const steps = tracingActive() ? await withTraceparents(this.options.pool, claimed) : claimed;
    this.pace.claimTook(this.now() - claimStarted);
    stopTimer?.();
    this.ready.push(...steps);
    this.startReady();
    // A full batch suggests more is waiting: claim again as soon as slots free up.
    if (steps.length === free) this.wakeAgain = true;
  }

  /** Starts queued claimed steps while there are free slots (none once draining). */
  private startReady(): void {
    while (
      !this.draining &&
      this.executing < this.options.concurrency &&
      this.inFlight.size - this.executing < MAX_UNSETTLED_STEPS &&
      this.ready.length > 0
    ) {
      this.launch(this.ready.shift()!);
    }
  }

  /** An executor returned (or threw): its slot is free for the next step. */
  private executorFinished(): void {
    this.executing -= 1;
    this.options.metrics?.inFlight.dec({ market: this.marketLabel });
    this.startReady();
    this.wake();
  }

  private launch(step: ClaimedStep): void {
    const run = new StepRun(step, this.options.workerId, this.options.logger);
    this.executing += 1;
    this.options.metrics?.inFlight.inc({ market: this.marketLabel });
    this.inFlight.set(step.id, run);
    run.done = this.runStep(run);
  }

  /** Executes a step, frees its slot, settles it; never rejects. */
  private async runStep(run: StepRun): Promise<void> {
    const { step } = run;
    const metrics = this.options.metrics;
    const labels = metrics ? { market: this.marketLabel, kind: step.kind } : undefined;
    const stopTimer = labels ? metrics?.stepDuration.startTimer(labels) : undefined;
    try {
      let result: StepOutcome | { thrown: unknown };
      const executorStarted = this.now();
      try {
        result = await this.executeInSpan(run);
      } catch (error) {
        result = { thrown: error };
      } finally {
        this.pace.executorTook(this.now() - executorStarted);
        this.executorFinished();
      }
      const settled = await settleStep(
        this.settleBatcher,
        step,
        run.lease,
        result,
        this.options.backoff ?? DEFAULT_STEP_BACKOFF,
      );
      if (labels) metrics?.steps.inc({ ...labels, outcome: settled });
      if (settled === 'lease_lost') {
        metrics?.leasesLost.inc({ market: this.marketLabel });
        run.logger.warn('lease lost before the step settled; another worker or the reaper owns it now');
      } else if (this.options.logger.isLevelEnabled('info')) {
        run.logger.info(
          { status: settled, ...('thrown' in result ? { err: result.thrown } : {}) },
          'step settled',
        );
      }
    } catch (error) {
      run.logger.error({ err: error }, `settling the step failed: ${errorMessage(error)}`);
    } finally {
      stopTimer?.();
      this.inFlight.delete(step.id);
      // A settle that makes room under MAX_UNSETTLED_STEPS lets waiting steps start.
      this.startReady();
    }
  }

  /**
   * The executor inside the step's span (`step.execute`), a child of the trace context the step
   * carries from its proposal, so its venue calls join the trade's trace.
   */
  private executeInSpan(run: StepRun): Promise<StepOutcome> {
    const { step } = run;
    const attributes = {
      'atc.step.id': step.id,
      'atc.mission.id': step.missionId,
      'atc.step.kind': step.kind,
      'atc.step.attempt': step.attempt,
      'atc.market': step.market ?? 'none',
    };
    const parent = contextOfTraceparent(step.traceparent);
    return withSpan('step.execute', { attributes, parent }, async (span) => {
      const outcome = await this.options.executor(step, run);
      span.setAttribute('atc.step.outcome', outcome.type);
      return outcome;
    });
  }

  private async renewHeldLeases(): Promise<void> {
    const held = [...this.inFlight.values()];
    const waiting = [...this.ready];
    if (held.length + waiting.length === 0) return;
    try {
      const kept = new Set(
        await renewLeases(
          this.options.pool,
          this.options.workerId,
          [...held.map((run) => run.step), ...waiting].map((s) => ({ stepId: s.id, attempt: s.attempt })),
          this.options.leaseMs,
        ),
      );
      // A queued step whose lease was lost is dropped: another worker or the reaper owns it now.
      for (const step of waiting) {
        const index = this.ready.indexOf(step);
        if (!kept.has(step.id) && index >= 0) this.ready.splice(index, 1);
      }
      for (const run of held) {
        if (!kept.has(run.step.id) && this.inFlight.has(run.step.id)) {
          run.abort(new Error('lease lost'));
        }
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'lease renewal failed; will try again');
    }
  }
}
