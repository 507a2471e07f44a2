/**
 * Live reads for the views that W1's stream fold does not cover (agents, the reconciliation queue,
 * the kill switch): a view names the event types that make its queries stale, and each batch the
 * stream store appends invalidates them once. The store's snapshot version moves once per batch;
 * the new events are those of the ring buffer after the last id this hook saw.
 * @module
 */
import type { StreamEvent } from '@atc/contracts';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useStreamStore } from '../../stream/stream.context';

/** The events of `buffer` (oldest first) after `lastId`, newest last; all of them when `lastId` is null. */
function eventsAfter(buffer: readonly StreamEvent[], lastId: string | null): StreamEvent[] {
  if (lastId === null) return [...buffer];
  const after = BigInt(lastId);
  let start = buffer.length;
  // Ids increase along the buffer: walk back from the newest to the first one already seen.
  while (start > 0) {
    const id = buffer[start - 1]?.id;
    if (id === undefined || BigInt(id) <= after) break;
    start -= 1;
  }
  return buffer.slice(start);
}

/** Whether any of `events` is of one of `types`. */
function touches(events: readonly StreamEvent[], types: ReadonlySet<string>): boolean {
  return events.some((event) => types.has(event.type));
}

/**
 * Invalidates `queryKeys` (by prefix) whenever a batch of the live stream carries one of `types`.
 * Events already in the buffer when the view mounts are not replayed: the view's first read is newer.
 */
function useStaleOnEvents(types: readonly string[], queryKeys: readonly QueryKey[]): void {
  const store = useStreamStore();
  const queryClient = useQueryClient();
  // Callers pass literals: compare them by value, so a new array each render does not resubscribe.
  const typeList = types.join(',');
  const keyList = JSON.stringify(queryKeys);
  useEffect(() => {
    const wantedTypes = new Set(typeList.split(','));
    const staleKeys = JSON.parse(keyList) as QueryKey[];
    let lastId = store.buffer.toArray().at(-1)?.id ?? null;
    let version = store.getSnapshot().version;
    return store.subscribe(() => {
      const snapshot = store.getSnapshot();
      if (snapshot.version === version) return;
      version = snapshot.version;
      const fresh = eventsAfter(store.buffer.toArray(), lastId);
      if (fresh.length === 0) return;
      lastId = fresh.at(-1)?.id ?? lastId;
      if (!touches(fresh, wantedTypes)) return;
      for (const queryKey of staleKeys) void queryClient.invalidateQueries({ queryKey });
    });
  }, [store, queryClient, typeList, keyList]);
}

export { eventsAfter, useStaleOnEvents };
