/**
 * One {@link EventStreamStore} per signed-in tab, started on sign-in and stopped on sign-out, its
 * batches folded into the react-query cache and its `reset` refetching every query.
 * @module
 */
import { EventPage, StreamTicket } from '@atc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { useSession } from '../session/session.context';
import {
  type EventSourceLike,
  EventStreamStore,
  type StreamSnapshot,
  type StreamStatus,
} from './event-stream.store';
import { staleQueries } from './fold-events';

const StreamContext = createContext<EventStreamStore | null>(null);

interface StreamProviderProps {
  readonly children: ReactNode;
  /** Tests pass a fake EventSource; the browser's is the default. */
  readonly createEventSource?: (url: string) => EventSourceLike;
}

function StreamProvider({ children, createEventSource }: StreamProviderProps) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [store] = useState(
    () =>
      new EventStreamStore({
        requestTicket: async () => (await api.post('/api/stream-tickets', undefined, StreamTicket)).ticket,
        requestCursor: async () => (await api.get('/api/events?limit=1', EventPage)).items[0]?.id ?? '0',
        onEvents: (events) => {
          for (const queryKey of staleQueries(events)) void queryClient.invalidateQueries({ queryKey });
        },
        onReset: () => void queryClient.invalidateQueries(),
        ...(createEventSource ? { createEventSource } : {}),
      }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return <StreamContext.Provider value={store}>{children}</StreamContext.Provider>;
}

function useStreamStore(): EventStreamStore {
  const store = useContext(StreamContext);
  if (!store) throw new Error('useStreamStore outside StreamProvider');
  return store;
}

function useStreamSnapshot(): StreamSnapshot {
  const store = useStreamStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The connection's status alone: a component reading it does not re-render at every event batch. */
function useStreamStatus(): StreamStatus {
  const store = useStreamStore();
  return useSyncExternalStore(store.subscribe, () => store.getSnapshot().status);
}

/** Polling only as a fallback while the stream is down: the interval for react-query, or false. */
function useFallbackPolling(intervalMs = 10_000): number | false {
  return useStreamStatus() === 'open' ? false : intervalMs;
}

export { StreamProvider, useFallbackPolling, useStreamSnapshot, useStreamStatus, useStreamStore };
