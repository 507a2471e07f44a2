/**
 * How many steps a worker claims ahead of its free slots. Prefetching hides the claim round trip —
 * a finished step's slot is refilled from the local queue, not after a claim — but a prefetched
 * step is leased and waits: no other worker can take it. So a worker prefetches only what its slots
 * get through in about one claim round trip: no-op or quick steps (milliseconds) fill the queue up
 * to the configured ceiling, steps that wait seconds on a venue are claimed only for free slots and
 * stay available to every other worker.
 *
 * Both durations are exponentially weighted moving averages. Until its first claim has returned
 * and its first step has finished the worker knows nothing of its steps and claims only for free
 * slots — so a worker starting on a backlog of slow steps does not take it all. Quick steps reach
 * the ceiling from the second claim on.
 */
export class PrefetchPace {
  private claimMs: number | undefined;
  private executorMs: number | undefined;

  /**
   * @param ceiling the most steps ever held ahead (WORKER_PREFETCH); 0 never prefetches.
   * @param concurrency the worker's slots.
   */
  constructor(
    private readonly ceiling: number,
    private readonly concurrency: number,
  ) {}

  /** A claim round trip took `ms`. */
  claimTook(ms: number): void {
    this.claimMs = blend(this.claimMs, ms);
  }

  /** An executor returned after `ms`. */
  executorTook(ms: number): void {
    this.executorMs = blend(this.executorMs, ms);
  }

  /** Steps to hold ahead of free slots now: the slots' consumption during one claim, capped. */
  get target(): number {
    if (this.ceiling === 0) return 0;
    if (this.executorMs === undefined || this.claimMs === undefined) return 0;
    const perClaim = (this.concurrency * this.claimMs) / Math.max(this.executorMs, MIN_EXECUTOR_MS);
    return Math.min(this.ceiling, Math.ceil(perClaim));
  }
}

/** Weight of the newest sample. */
const SMOOTHING = 0.2;
/** Below this an executor counts as instant (the ceiling applies). */
const MIN_EXECUTOR_MS = 0.01;

function blend(average: number | undefined, sample: number): number {
  return average === undefined ? sample : average + SMOOTHING * (sample - average);
}
