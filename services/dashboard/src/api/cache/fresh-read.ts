/**
 * A read shared by every request of a short window: at most one read in flight at a time (callers
 * that arrive during it await the same promise), and its result served for `maxAgeMs` after it
 * completed. Past that, a caller starts the next read and, while it runs, callers are still answered
 * from the kept result as long as it is younger than `maxStaleMs` (stale-while-revalidate), so no
 * request waits on a refresh. A failed read is never kept: the next caller reads again. What a
 * dashboard under load needs for figures that change by the second (GET /api/status) — a thousand
 * requests a second become one read a second, and each reply says when its figures were read (`asOf`).
 * @module
 */
import type { Clock } from '@atc/contracts';

export interface FreshReadOptions {
  /** How long a completed read is served; 0 still shares a read in flight. */
  readonly maxAgeMs: number;
  /** How old a kept result may be and still answer while the next read runs (default: maxAgeMs). */
  readonly maxStaleMs?: number;
  readonly clock: Clock;
}

export function createFreshRead<T>(read: () => Promise<T>, options: FreshReadOptions): () => Promise<T> {
  let kept: { value: T; readAt: number } | undefined;
  let inFlight: Promise<T> | undefined;

  function start(): Promise<T> {
    const reading = read().then((value) => {
      kept = { value, readAt: options.clock.now().getTime() };
      return value;
    });
    inFlight = reading;
    const clear = (): void => {
      if (inFlight === reading) inFlight = undefined;
    };
    reading.then(clear, clear);
    return reading;
  }

  const maxStaleMs = Math.max(options.maxAgeMs, options.maxStaleMs ?? options.maxAgeMs);
  return () => {
    const age = kept ? options.clock.now().getTime() - kept.readAt : Number.POSITIVE_INFINITY;
    if (kept && age < options.maxAgeMs) return Promise.resolve(kept.value);
    const reading = inFlight ?? start();
    if (kept && age < maxStaleMs) {
      // The refresh runs for whoever comes next; a failure shows on the next caller without a result.
      reading.catch(() => undefined);
      return Promise.resolve(kept.value);
    }
    return reading;
  };
}
