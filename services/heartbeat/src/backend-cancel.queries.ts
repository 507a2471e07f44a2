import { queryOne, type Queryable } from '@atc/platform';

/**
 * Cancels every statement running on a connection whose `application_name` is `applicationName`.
 * The heartbeat gives its phase pool a name unique to the process, so when a phase runs out of budget
 * this stops its SQL — even SQL a phase ran outside `withTransaction`'s `SET LOCAL statement_timeout`
 * — and the phase's open transaction rolls back. Runs on the lease pool, whose name differs, so the
 * runner's own bookkeeping is never cancelled.
 */
export async function cancelBackendsOf(db: Queryable, applicationName: string): Promise<number> {
  const row = await queryOne<{ cancelled: number }>(
    db,
    `select count(*) filter (where pg_cancel_backend(pid))::int as cancelled
       from pg_stat_activity
      where application_name = $1::text
        and datname = current_database()
        and state = 'active'
        and pid <> pg_backend_pid()`,
    [applicationName],
  );
  return row?.cancelled ?? 0;
}
