import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, Market } from '@atc/contracts';

/**
 * Locks a reader's cursor row for the rest of the transaction (creating it at 0 the first time): a
 * second, overlapping run waits here and then reads from where the first one stopped.
 */
export async function lockEventCursor(db: Queryable, name: string): Promise<string> {
  await db.query(`insert into atc.event_cursors (name) values ($1::text) on conflict (name) do nothing`, [
    name,
  ]);
  const row = await queryOne<{ lastEventId: string }>(
    db,
    `select last_event_id::text as "lastEventId" from atc.event_cursors where name = $1::text for update`,
    [name],
  );
  return row!.lastEventId;
}

export async function advanceEventCursor(db: Queryable, name: string, lastEventId: string): Promise<void> {
  await db.query(
    `update atc.event_cursors set last_event_id = $2::bigint, updated_at = now()
      where name = $1::text and last_event_id < $2::bigint`,
    [name, lastEventId],
  );
}

export interface CursorEvent {
  readonly id: string;
  readonly type: string;
  readonly agent: Agent | null;
  readonly market: Market | null;
  readonly tags: string[];
  readonly payload: Record<string, unknown>;
}

/**
 * Events after the cursor, oldest first, by primary key range, up to the first one younger than
 * `settleMs`: an event id is taken at insert and becomes visible at commit, so while younger events
 * are about a lower id may still be in flight; stopping there keeps the cursor from stepping over it.
 * (A transaction open longer than `settleMs` can still be missed; what reads this is advisory.)
 */
export async function selectEventsAfter(
  db: Queryable,
  request: { afterId: string; limit: number; settleMs: number },
): Promise<CursorEvent[]> {
  const rows = await queryRows<CursorEvent & { settled: boolean }>(
    db,
    `select id::text as id, type, agent, market, tags, payload,
            created_at <= clock_timestamp() - make_interval(secs => $3::double precision / 1000) as settled
       from atc.events
      where id > $1::bigint
      order by events.id -- the column (primary key order), not the text alias of the same name
      limit $2::int`,
    [request.afterId, request.limit, request.settleMs],
  );
  const firstUnsettled = rows.findIndex((row) => !row.settled);
  const settled = firstUnsettled === -1 ? rows : rows.slice(0, firstUnsettled);
  return settled.map(({ settled: _settled, ...event }) => event);
}
