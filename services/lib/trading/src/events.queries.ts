import type { Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { Agent, EventPayload, EventType, Market } from '@atc/contracts';

/** The NOTIFY channel; the payload is the event id, which listeners read from `atc.events`. */
export const EVENTS_CHANNEL = 'atc_events';

export interface NewEvent<T extends EventType> {
  readonly type: T;
  readonly payload: EventPayload<T>;
  readonly aggregateType?: string;
  readonly aggregateId?: string;
  readonly market?: Market | null;
  readonly agent?: Agent | null;
  readonly tags?: readonly string[];
}

/**
 * Appends an event to the outbox and notifies `atc_events`, in the caller's transaction: the event
 * exists exactly when the state change it describes committed (NOTIFY is delivered on commit and
 * dropped on rollback).
 */
export async function appendEvent<T extends EventType>(db: Queryable, event: NewEvent<T>): Promise<string> {
  const [row] = await runPrepared<{ id: string }>(
    db,
    'append_event',
    `with inserted as (
       insert into atc.events (type, aggregate_type, aggregate_id, market, agent, tags, payload)
       values ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text[], $7::jsonb)
       returning id
     )
     select id::text as id, pg_notify($8::text, id::text) from inserted`,
    [
      event.type,
      event.aggregateType ?? null,
      event.aggregateId ?? null,
      event.market ?? null,
      event.agent ?? null,
      event.tags ?? [],
      JSON.stringify(event.payload),
      EVENTS_CHANNEL,
    ],
  );
  return row!.id;
}

export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly aggregateType: string | null;
  readonly aggregateId: string | null;
  readonly market: Market | null;
  readonly payload: unknown;
  readonly createdAt: Date;
}

/** Events after `afterId`, oldest first (SSE resume with Last-Event-ID reads the same way). */
export async function listEventsAfter(db: Queryable, afterId: string, limit = 500): Promise<StoredEvent[]> {
  const result = await db.query<StoredEvent>(
    `select id::text as id, type, aggregate_type as "aggregateType", aggregate_id as "aggregateId",
            market, payload, created_at as "createdAt"
       from atc.events
      where id > $1::bigint
      order by events.id -- the column, not the text alias of the same name
      limit $2::int`,
    [afterId, limit],
  );
  return result.rows;
}
