/**
 * The heartbeat's single-flight lease: one row of `atc.heartbeat_lease` (the baseline migration). A run
 * holds it from acquisition to release and renews it while it works; a run that dies or hangs
 * stops renewing, and once the lease expires the next run takes it over.
 * @module
 */
import { queryOne, type Queryable } from '@atc/platform';

export interface AcquiredLease {
  readonly owner: string;
  readonly runId: string;
  readonly expiresAt: Date;
  /** Non-null when this acquisition displaced a run that never released the lease (it was stuck). */
  readonly previousRunId: string | null;
  readonly previousOwner: string | null;
  readonly previousExpiresAt: Date | null;
}

export interface LeaseHolder {
  readonly owner: string;
  readonly runId: string | null;
  readonly expiresAt: Date;
}

/**
 * One statement, so 100 concurrent callers get exactly one winner: the first creates the row or
 * takes over an expired one; every other caller conflicts on the primary key, waits for that row
 * lock, re-evaluates `where` against the winner's committed row, finds a live lease and gets no row.
 * The `set` clause reads `l.*`, the row as it was just before this update (the latest committed
 * version, whatever this statement's snapshot saw), so the displaced holder is exact.
 */
export async function acquireLease(
  db: Queryable,
  lease: { owner: string; runId: string; ttlMs: number },
): Promise<AcquiredLease | undefined> {
  return queryOne<AcquiredLease>(
    db,
    `insert into atc.heartbeat_lease as l
            (name, owner, run_id, acquired_at, renewed_at, expires_at)
     values ('heartbeat', $1::text, $2::uuid, now(), now(), now() + $3::int * interval '1 millisecond')
     on conflict (name) do update
        set owner = excluded.owner,
            run_id = excluded.run_id,
            acquired_at = excluded.acquired_at,
            renewed_at = excluded.renewed_at,
            expires_at = excluded.expires_at,
            -- A released lease has run_id null: only an unreleased one names a stuck run.
            previous_owner = l.owner,
            previous_run_id = l.run_id,
            previous_expires_at = l.expires_at
      where l.expires_at < now()
  returning owner, run_id as "runId", expires_at as "expiresAt",
            -- null on the first insert and after a clean release
            previous_run_id as "previousRunId",
            case when previous_run_id is null then null else previous_owner end as "previousOwner",
            case when previous_run_id is null then null else previous_expires_at end as "previousExpiresAt"`,
    [lease.owner, lease.runId, lease.ttlMs],
  );
}

/** Extends the lease this run holds; undefined when it no longer holds it (it was taken over). */
export async function renewLease(
  db: Queryable,
  lease: { owner: string; runId: string; ttlMs: number },
): Promise<{ expiresAt: Date } | undefined> {
  return queryOne<{ expiresAt: Date }>(
    db,
    `update atc.heartbeat_lease
        set renewed_at = now(),
            expires_at = now() + $3::int * interval '1 millisecond'
      where name = 'heartbeat' and owner = $1::text and run_id = $2::uuid
  returning expires_at as "expiresAt"`,
    [lease.owner, lease.runId, lease.ttlMs],
  );
}

/** Frees the lease at once for the next run; a no-op when this run no longer holds it. */
export async function releaseLease(db: Queryable, lease: { owner: string; runId: string }): Promise<boolean> {
  const row = await queryOne<{ released: boolean }>(
    db,
    `update atc.heartbeat_lease
        set run_id = null,
            expires_at = now()
      where name = 'heartbeat' and owner = $1::text and run_id = $2::uuid
  returning true as released`,
    [lease.owner, lease.runId],
  );
  return row?.released ?? false;
}

/** Who holds the lease now (for the log line of a skipped run and for `atc status`). */
export async function selectLeaseHolder(db: Queryable): Promise<LeaseHolder | undefined> {
  return queryOne<LeaseHolder>(
    db,
    `select owner, run_id as "runId", expires_at as "expiresAt"
       from atc.heartbeat_lease
      where name = 'heartbeat'`,
  );
}
