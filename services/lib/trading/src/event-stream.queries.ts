/**
 * What the live stream (GET /api/stream) needs besides `listEventsAfter`: the newest event id, and
 * the transactions in flight, to tell an event id that will still commit from one that never will.
 * An event id is taken from a sequence at insert and becomes visible at commit, so ids can become
 * visible out of order; the stream holds delivery at a missing id until every transaction that was
 * in flight when it saw the gap has finished (services/dashboard/src/api/stream/event-hub.ts).
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';

/** The largest event id visible now ('0' when there is none). */
export async function latestEventId(db: Queryable): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `select coalesce(max(id), 0)::text as id from atc.events`,
    [],
  );
  return row!.id;
}

/** The ids (xid8, as text) of the transactions in flight now, from this statement's snapshot. */
export async function transactionsInFlight(db: Queryable): Promise<string[]> {
  const rows = await queryRows<{ xid: string }>(
    db,
    `select xip::text as xid from pg_snapshot_xip(pg_current_snapshot()) as xip`,
    [],
  );
  return rows.map((row) => row.xid);
}

/** How many of these transactions are still in progress (a finished one committed or rolled back). */
export async function countStillInFlight(db: Queryable, xids: readonly string[]): Promise<number> {
  if (xids.length === 0) return 0;
  const row = await queryOne<{ n: number }>(
    db,
    // pg_xact_status reads the commit log, not a snapshot: it says whether each one has ended by now.
    `select count(*)::int as n from unnest($1::xid8[]) as x(xid) where pg_xact_status(x.xid) = 'in progress'`,
    [xids],
  );
  return row!.n;
}
