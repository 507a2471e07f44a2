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

/** The shared read; `invalidate()` (a change the kept result predates) makes the next caller read anew. */
export interface FreshRead<T> {
  (): Promise<T>;
  /**
   * Neither the kept result nor a read already in flight (it may have read before the change) answers
   * a caller after this: the next one starts a read and waits for it.
   */
  invalidate(): void;
}

export function createFreshRead<T>(read: () => Promise<T>, options: FreshReadOptions): FreshRead<T> {
  let kept: { value: T; readAt: number; generation: number } | undefined;
  let inFlight: { reading: Promise<T>; generation: number } | undefined;
  // Bumped by invalidate(): a result or a read of an older generation no longer answers.
  let generation = 0;

  function start(): Promise<T> {
    const started = generation;
    const reading = read().then((value) => {
      if (started === generation)
        kept = { value, readAt: options.clock.now().getTime(), generation: started };
      return value;
    });
    inFlight = { reading, generation: started };
    const clear = (): void => {
      if (inFlight?.reading === reading) inFlight = undefined;
    };
    reading.then(clear, clear);
    return reading;
  }

  const maxStaleMs = Math.max(options.maxAgeMs, options.maxStaleMs ?? options.maxAgeMs);
  const fresh = () => {
    const current = kept?.generation === generation ? kept : undefined;
    const age = current ? options.clock.now().getTime() - current.readAt : Number.POSITIVE_INFINITY;
    if (current && age < options.maxAgeMs) return Promise.resolve(current.value);
    const reading = inFlight?.generation === generation ? inFlight.reading : start();
    if (current && age < maxStaleMs) {
      // The refresh runs for whoever comes next; a failure shows on the next caller without a result.
      reading.catch(() => undefined);
      return Promise.resolve(current.value);
    }
    return reading;
  };
  return Object.assign(fresh, {
    invalidate: () => {
      generation += 1;
    },
  });
}
