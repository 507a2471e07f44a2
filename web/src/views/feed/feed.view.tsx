/**
 * The live feed: the stream's ring buffer (newest first) followed by older events paged from
 * GET /api/events as the list is scrolled to its end, filtered by type, agent and market, and
 * virtualized so only the visible rows are in the DOM.
 * @module
 */
import { agents, eventPayloadSchemas, markets } from '@atc/contracts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useStreamSnapshot, useStreamStore } from '../../stream/stream.context';
import { ErrorState } from '../../app/error-state';
import { time } from '../format';
import { type FeedFilters, type FeedRow, matches, rowOfStreamEvent, useOlderEvents } from './feed.queries';

const ROW_HEIGHT = 28;
const EVENT_TYPES = Object.keys(eventPayloadSchemas).sort();

function Filter(props: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <label htmlFor={id}>
      {props.label}
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">all</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

function summary(payload: unknown): string {
  const text = JSON.stringify(payload);
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

/** What a row shows, re-rendered only for a new row: a batch moves the rows, not their content. */
const FeedRowContent = memo(function FeedRowContent({ row }: { readonly row: FeedRow }) {
  return (
    <>
      <span className="muted">#{row.id}</span>
      <span>{time(row.createdAt)}</span>
      <strong>{row.type}</strong>
      <span>{row.market ?? row.agent ?? ''}</span>
      <code>{summary(row.payload)}</code>
    </>
  );
});

/** The stream's rows (newest first) then the older pages' rows it does not hold, all filtered. */
function useFeedRows(filters: FeedFilters, older: readonly FeedRow[]): { rows: FeedRow[]; received: number } {
  const store = useStreamStore();
  const { version, received } = useStreamSnapshot();
  const rows = useMemo(() => {
    void version; // a new batch in the buffer: recompute
    const live = store.buffer.toArray().reverse().map(rowOfStreamEvent);
    const seen = new Set(live.map((row) => row.id));
    return [...live.filter((row) => matches(row, filters)), ...older.filter((row) => !seen.has(row.id))];
  }, [store, version, filters, older]);
  return { rows, received };
}

function FeedView() {
  const [filters, setFilters] = useState<FeedFilters>({ type: '', agent: '', market: '' });
  const olderEvents = useOlderEvents(filters);
  const older = useMemo(
    () => olderEvents.data?.pages.flatMap((page) => page.items) ?? [],
    [olderEvents.data],
  );
  const { rows, received } = useFeedRows(filters, older);
  const scrollRef = useRef<HTMLDivElement>(null);
  // useVirtualizer hands back new functions at each render, so React's compiler leaves this view alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = olderEvents;
  useEffect(() => {
    // Scrolled to the end: page in older events.
    if (lastIndex >= rows.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  const set = (name: keyof FeedFilters) => (value: string) =>
    setFilters((current) => ({ ...current, [name]: value }));

  return (
    <>
      <h1>Live feed</h1>
      <div className="filters" role="group" aria-label="Filters">
        <Filter label="Type" value={filters.type} options={EVENT_TYPES} onChange={set('type')} />
        <Filter label="Agent" value={filters.agent} options={agents} onChange={set('agent')} />
        <Filter label="Market" value={filters.market} options={markets} onChange={set('market')} />
        <span className="muted" role="status">
          {rows.length} events{isFetchingNextPage ? ', loading older…' : ''}
        </span>
        <span className="muted" data-testid="feed-received">
          {received} received live
        </span>
      </div>
      {olderEvents.isError && (
        <ErrorState error={olderEvents.error} onRetry={() => void olderEvents.refetch()} />
      )}
      {rows.length === 0 && !olderEvents.isPending && <p className="muted">No event matches yet.</p>}
      {olderEvents.isPending && rows.length === 0 && <p className="muted">Loading events…</p>}
      <div ref={scrollRef} className="feed" tabIndex={0} aria-label="Events, newest first" role="list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={row.id}
                role="listitem"
                data-event-id={row.id}
                className="feed-row"
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <FeedRowContent row={row} />
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}

export { FeedView };
