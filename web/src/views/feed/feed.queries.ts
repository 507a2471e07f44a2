import { EventPage, type StreamEvent } from '@atc/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { queryString } from '../../api/api.client';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';

interface FeedFilters {
  readonly type: string;
  readonly agent: string;
  readonly market: string;
}

/** A feed row: a stream event, or an older event paged from GET /api/events. */
interface FeedRow {
  readonly id: string;
  readonly type: string;
  readonly market: string | null;
  readonly agent: string | null;
  readonly createdAt: string;
  readonly payload: unknown;
}

/** The agent a stream event concerns, when its payload names one (GET /api/events names it itself). */
function agentOf(event: StreamEvent): string | null {
  const payload = event.payload as { agent?: unknown } | null;
  return payload && typeof payload.agent === 'string' ? payload.agent : null;
}

/**
 * The row of each event, made once while the event is in the buffer: the same object at every
 * batch, so the memoised row content is not rendered again (a WeakMap: dropped events go with it).
 */
const rows = new WeakMap<StreamEvent, FeedRow>();

function rowOfStreamEvent(event: StreamEvent): FeedRow {
  let row = rows.get(event);
  if (!row) {
    row = { ...event, agent: agentOf(event) };
    rows.set(event, row);
  }
  return row;
}

function matches(row: FeedRow, filters: FeedFilters): boolean {
  return (
    (filters.type === '' || row.type === filters.type) &&
    (filters.agent === '' || row.agent === filters.agent) &&
    (filters.market === '' || row.market === filters.market)
  );
}

const PAGE_SIZE = 100;

/** Older events, newest first, a page at a time (the next when the list is scrolled to its end). */
function useOlderEvents(filters: FeedFilters) {
  const { api } = useSession();
  return useInfiniteQuery({
    queryKey: [...queryKeys.events, filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get(
        `/api/events${queryString({ limit: PAGE_SIZE, cursor: pageParam, ...filters })}`,
        EventPage,
        signal,
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // The stream brings what is new; these pages are history, and do not go stale.
    staleTime: Infinity,
  });
}

export { type FeedFilters, type FeedRow, matches, rowOfStreamEvent, useOlderEvents };
