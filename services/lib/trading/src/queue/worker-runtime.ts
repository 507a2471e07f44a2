import type { Pool } from 'pg';
import { errorMessage, type Logger } from '@atc/platform';
import type { Market, StepKind } from '@atc/contracts';
import {
  claimAgentSteps,
  claimSteps,
  releaseUnstartedSteps,
  renewLeases,
  type ClaimedStep,
  type StepLease,
} from './step-queue.queries';
import {
  DEFAULT_STEP_BACKOFF,
  settleStep,
  type RetryBackoff,
  type StepExecutor,
  type StepOutcome,
} from './step-runner';
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
   * Steps claimed ahead of free slots, held (leased) in a local queue so a finished step's slot is
   * refilled without waiting for a claim round trip, and claims come in batches. 0 claims only for
   * free slots.
   */
  readonly prefetch?: number;
}

interface InFlightStep {
  readonly step: ClaimedStep;
  readonly lease: StepLease;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Claims steps of one market and runs them, at most `concurrency` at a time. Wakes on a LISTEN
 * notification (`wake()`), on every finished step, and on a poll timer as a fallback. Renews the
 * leases of running steps; a step whose lease is lost is aborted and settles nothing.
 * `drain()` stops claiming and waits for in-flight steps (the shutdown deadline bounds the wait).
 */
export class WorkerRuntime {
  private readonly inFlight = new Map<string, InFlightStep>();
  /** Claimed, leased, not started yet (see `prefetch`). */
  private readonly ready: ClaimedStep[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private wakeAgain = false;
  private draining = false;

  /** Metric label for the market: `agents` for market-less agent work. */
  private readonly marketLabel: string;

  constructor(private readonly options: WorkerRuntimeOptions) {
    this.marketLabel = options.market ?? 'agents';
  }

  get inFlightCount(): number {
    return this.inFlight.size;
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
      const released = this.ready.splice(0);
      await releaseUnstartedSteps(this.options.pool, this.options.workerId, released).catch(
        (error: unknown) =>
          this.options.logger.warn(
            { err: error },
            'releasing unstarted steps failed; their leases will expire',
          ),
      );
    }
    this.options.logger.info({ inFlight: this.inFlight.size }, 'draining: waiting for in-flight steps');
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
    clearInterval(this.renewTimer);
  }

  private async claimRound(): Promise<void> {
    const prefetch = this.options.prefetch ?? 0;
    // With a local queue, claim only once it is half empty, so claims come in batches.
    if (prefetch > 0 && this.ready.length > prefetch / 2) return;
    const free = this.options.concurrency + prefetch - this.inFlight.size - this.ready.length;
    if (free <= 0 || !(await this.options.mayClaim())) return;
    const stopTimer = this.options.metrics?.claimDuration.startTimer({ market: this.marketLabel });
    const claim = {
      workerId: this.options.workerId,
      limit: free,
      leaseMs: this.options.leaseMs,
      kinds: this.options.kinds,
    };
    const steps =
      this.options.market === null
        ? await claimAgentSteps(this.options.pool, claim)
        : await claimSteps(this.options.pool, { ...claim, market: this.options.market });
    stopTimer?.();
    this.ready.push(...steps);
    this.startReady();
    // A full batch suggests more is waiting: claim again as soon as slots free up.
    if (steps.length === free) this.wakeAgain = true;
  }

  /** Starts queued claimed steps while there are free slots (none once draining). */
  private startReady(): void {
    while (!this.draining && this.inFlight.size < this.options.concurrency && this.ready.length > 0) {
      this.launch(this.ready.shift()!);
    }
  }

  private launch(step: ClaimedStep): void {
    const lease: StepLease = { stepId: step.id, workerId: this.options.workerId, attempt: step.attempt };
    const controller = new AbortController();
    const logger = this.options.logger.child({
      stepId: step.id,
      missionId: step.missionId,
      kind: step.kind,
      attempt: step.attempt,
    });
    const labels = { market: this.marketLabel, kind: step.kind };
    const stopTimer = this.options.metrics?.stepDuration.startTimer(labels);
    this.options.metrics?.inFlight.inc({ market: this.marketLabel });
    const done = (async () => {
      let result: StepOutcome | { thrown: unknown };
      try {
        result = await this.options.executor(step, { lease, signal: controller.signal, logger });
      } catch (error) {
        result = { thrown: error };
      }
      const settled = await settleStep(
        this.options.pool,
        step,
        lease,
        result,
        this.options.backoff ?? DEFAULT_STEP_BACKOFF,
      );
      this.options.metrics?.steps.inc({ ...labels, outcome: settled });
      if (settled === 'lease_lost') {
        this.options.metrics?.leasesLost.inc({ market: this.marketLabel });
        logger.warn('lease lost before the step settled; another worker or the reaper owns it now');
      } else {
        logger.info(
          { status: settled, ...('thrown' in result ? { err: result.thrown } : {}) },
          'step settled',
        );
      }
    })()
      .catch((error: unknown) =>
        logger.error({ err: error }, `settling the step failed: ${errorMessage(error)}`),
      )
      .finally(() => {
        stopTimer?.();
        this.options.metrics?.inFlight.dec({ market: this.marketLabel });
        this.inFlight.delete(step.id);
        this.startReady();
        this.wake();
      });
    this.inFlight.set(step.id, { step, lease, controller, done });
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
          [...held.map((f) => f.step), ...waiting].map((s) => ({ stepId: s.id, attempt: s.attempt })),
          this.options.leaseMs,
        ),
      );
      // A queued step whose lease was lost is dropped: another worker or the reaper owns it now.
      for (const step of waiting) {
        const index = this.ready.indexOf(step);
        if (!kept.has(step.id) && index >= 0) this.ready.splice(index, 1);
      }
      for (const flight of held) {
        if (!kept.has(flight.step.id) && this.inFlight.has(flight.step.id)) {
          flight.controller.abort(new Error('lease lost'));
        }
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'lease renewal failed; will try again');
    }
  }
}
