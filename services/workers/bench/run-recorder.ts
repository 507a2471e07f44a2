/**
 * What one benchmark configuration observed, per job id: when the claim that took it was sent, when
 * its completion was committed, and how often a handler ran it. Times are performance.now()
 * milliseconds, taken in the database driver (see observed-client.ts).
 */
export class RunRecorder {
  private readonly claimedAt = new Map<string, number>();
  private readonly completedAt = new Map<string, number>();
  private readonly executions = new Map<string, number>();
  private readonly completionOrder: string[] = [];
  private waiter: { total: number; resolve: () => void } | undefined;

  /** A claim query sent at `sentAt` returned these jobs. A re-claim replaces the earlier time. */
  claimed(ids: readonly string[], sentAt: number): void {
    for (const id of ids) this.claimedAt.set(id, sentAt);
  }

  /** A handler ran this job (once per run; more is a duplicate). */
  executed(id: string): void {
    this.executions.set(id, (this.executions.get(id) ?? 0) + 1);
  }

  /** The completion of these jobs committed at `committedAt`. */
  completed(ids: readonly string[], committedAt: number): void {
    for (const id of ids) {
      if (this.completedAt.has(id)) continue;
      this.completedAt.set(id, committedAt);
      this.completionOrder.push(id);
    }
    if (this.waiter && this.completionOrder.length >= this.waiter.total) this.waiter.resolve();
  }

  get completedCount(): number {
    return this.completionOrder.length;
  }

  /** Resolves when `total` completions were seen, or when `timeoutMs` ran out (false). */
  async waitForCompletions(total: number, timeoutMs: number): Promise<boolean> {
    if (this.completionOrder.length >= total) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<boolean>((resolve) => {
      this.waiter = { total, resolve: () => resolve(true) };
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await done;
    } finally {
      clearTimeout(timer);
      this.waiter = undefined;
    }
  }

  /**
   * Figures after the warm-up: the window runs from the `warmup`-th completion to the last one;
   * latencies are those of the jobs completed inside it.
   */
  summarise(warmup: number): RunFigures {
    const measured = this.completionOrder.slice(warmup);
    const windowStart = this.completedAt.get(this.completionOrder[warmup - 1] ?? '') ?? Number.NaN;
    const windowEnd = this.completedAt.get(this.completionOrder.at(-1) ?? '') ?? Number.NaN;
    const latencies: number[] = [];
    let untimed = 0;
    for (const id of measured) {
      const claimed = this.claimedAt.get(id);
      if (claimed === undefined) untimed += 1;
      else latencies.push(this.completedAt.get(id)! - claimed);
    }
    latencies.sort((a, b) => a - b);
    let duplicates = 0;
    for (const count of this.executions.values()) if (count > 1) duplicates += 1;
    return {
      measured: measured.length,
      stepsPerSecond: measured.length / ((windowEnd - windowStart) / 1000),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      duplicates,
      executed: this.executions.size,
      untimed,
    };
  }
}

export interface RunFigures {
  readonly measured: number;
  readonly stepsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Jobs a handler ran more than once. */
  readonly duplicates: number;
  /** Distinct jobs a handler ran. */
  readonly executed: number;
  /** Measured completions without an observed claim: must be 0, or the instrumentation missed one. */
  readonly untimed: number;
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}
