/**
 * Work that stops when its signal aborts: a heartbeat phase's budget, or a quote run of
 * `quoteEntries`. Cancellation is an error of its own, so a caller can tell it from a failure.
 * @module
 */

/** Thrown between units of work once the phase's budget is spent (or the process is stopping). */
export class PhaseCancelledError extends Error {
  constructor(cause?: unknown) {
    super('the heartbeat phase was cancelled: its budget is spent', { cause });
    this.name = 'PhaseCancelledError';
  }
}

export function throwIfCancelled(context: { readonly signal: AbortSignal }): void {
  if (context.signal.aborted) throw new PhaseCancelledError(context.signal.reason);
}

/** Runs `work` over `items` with at most `concurrency` in flight, stopping when the phase is cancelled. */
export async function mapBounded<T, R>(
  context: { readonly signal: AbortSignal },
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      throwIfCancelled(context);
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
