/**
 * The events outbox as the operator pages through it: by id, newest first, or oldest first after a
 * given id (how a client catches up), filtered by type, market, agent and time.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { Agent, EventType, Market } from '@atc/contracts';
import { keysetPage, type KeysetPage } from './keyset';

export interface EventPageQuery {
  readonly direction: 'asc' | 'desc';
  /** Exclusive: ascending pages start after it, descending pages before it. */
  readonly fromId?: string;
  readonly types?: readonly EventType[];
  readonly market?: Market;
  readonly agent?: Agent;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
}

export interface EventRow {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string | null;
  readonly aggregateId: string | null;
  readonly market: Market | null;
  readonly agent: Agent | null;
  readonly tags: string[];
  readonly payload: unknown;
  readonly createdAt: Date;
}

const filters = `($2::text[] is null or type = any($2::text[]))
        and ($3::text is null or market = $3::text)
        and ($4::text is null or agent = $4::text)
        and ($5::timestamptz is null or created_at >= $5::timestamptz)
        and ($6::timestamptz is null or created_at < $6::timestamptz)`;

const columns = `id::text as id, type, aggregate_type as "aggregateType", aggregate_id as "aggregateId",
            market, agent, tags, payload, created_at as "createdAt"`;

/**
 * One page of events; `next` is the last id returned. The two directions are two statements (not a
 * `case` in `order by`) so each walks the primary key, or events_type_id_idx with a type filter.
 */
export async function selectEventsPage(
  db: Queryable,
  query: EventPageQuery,
): Promise<KeysetPage<EventRow, string>> {
  const ascending = query.direction === 'asc';
  const text = ascending
    ? `select ${columns} from atc.events
        where ($1::bigint is null or id > $1::bigint) and ${filters}
        order by events.id limit $7::int`
    : `select ${columns} from atc.events
        where ($1::bigint is null or id < $1::bigint) and ${filters}
        order by events.id desc limit $7::int`;
  const rows = await queryRows<EventRow>(db, text, [
    query.fromId ?? null,
    query.types && query.types.length > 0 ? query.types : null,
    query.market ?? null,
    query.agent ?? null,
    query.from ?? null,
    query.to ?? null,
    query.limit + 1,
  ]);
  return keysetPage(rows, query.limit, (row) => row.id);
}
