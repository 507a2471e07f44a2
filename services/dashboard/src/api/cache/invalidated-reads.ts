/**
 * Reads shared by the requests of a short window, one per key (a list route's normalized query), and
 * dropped the moment something says the data changed: the proposal list at a thousand requests a
 * second becomes one read per distinct query per window, and an operator who approves a proposal sees
 * it approved on the next read. Freshness comes from invalidation (the event stream, or a write route
 * of this process); `maxAgeMs` only bounds how stale an answer can be when an invalidation is missed
 * (the stream's connection down).
 *
 * Invalidation is exact for reads in flight: a read that started before the last invalidation answers
 * the callers that were already waiting for it, is never kept, and no caller arriving after the
 * invalidation joins it. A failed read is never kept either.
 * @module
 */
import type { Clock } from '@atc/contracts';

export interface InvalidatedReadsOptions {
  /** How long a completed read answers its key; 0 turns sharing off (every call reads). */
  readonly maxAgeMs: number;
  /** Keys kept at once; the oldest kept read is dropped first. */
  readonly maxKeys: number;
  readonly clock: Clock;
}

export interface InvalidatedReads<T> {
  /** The kept or in-flight read of `key`, or a new one by `load`. */
  read(key: string, load: () => Promise<T>): Promise<T>;
  /** Drops every kept and in-flight read: the next caller of each key reads again. */
  invalidate(): void;
  /** Kept and in-flight keys (for tests and metrics). */
  readonly size: number;
}

interface Entry<T> {
  readonly generation: number;
  readonly reading: Promise<T>;
  /** Set when the read completed. */
  readAtMs?: number;
}

export function createInvalidatedReads<T>(options: InvalidatedReadsOptions): InvalidatedReads<T> {
  const entries = new Map<string, Entry<T>>();
  let generation = 0;

  function start(key: string, load: () => Promise<T>): Promise<T> {
    const entry: Entry<T> = { generation, reading: load() };
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > options.maxKeys) entries.delete(entries.keys().next().value as string);
    entry.reading.then(
      () => {
        if (entry.generation === generation && entries.get(key) === entry) {
          entry.readAtMs = options.clock.now().getTime();
        }
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.reading;
  }

  return {
    read(key, load) {
      if (options.maxAgeMs <= 0) return load();
      const entry = entries.get(key);
      if (entry && entry.generation === generation) {
        if (entry.readAtMs === undefined) return entry.reading;
        if (options.clock.now().getTime() - entry.readAtMs < options.maxAgeMs) return entry.reading;
      }
      return start(key, load);
    },
    invalidate() {
      generation += 1;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
