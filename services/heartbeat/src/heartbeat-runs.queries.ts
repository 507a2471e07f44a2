/**
 * `atc.heartbeat_runs`: one row per run that won the lease, and a `skipped` row for a run that found
 * it held (migration 0016), so skipped runs can be counted (`atc_heartbeat_runs_last_hour`). The
 * heartbeat is too short-lived to scrape, so this table is what alerting and `atc status` read.
 * @module
 */
import { queryOne, type Queryable } from '@atc/platform';

export type HeartbeatRunStatus = 'running' | 'success' | 'partial_failure' | 'failure' | 'skipped';

export interface RunError {
  readonly phase: string | null;
  readonly code: string;
  readonly message: string;
}

/**
 * `started_at` is the database's clock, like `finished_at` and the lease's expiry, so a run's duration
 * and a stuck run's are differences of one clock. The run's own instant (its injected `Clock`, which
 * a test or the end-to-end run may set anywhere) is what its phases use, not what this record says.
 */
export async function insertRun(
  db: Queryable,
  run: { id: string; owner: string; tookOverRunId: string | null },
): Promise<void> {
  await db.query(
    `insert into atc.heartbeat_runs (id, status, owner, started_at, took_over_run_id)
     values ($1::uuid, 'running', $2::text, now(), $3::uuid)`,
    [run.id, run.owner, run.tookOverRunId],
  );
}

/** A run that did not get the lease: it starts and finishes at once, and did nothing. */
export async function insertSkippedRun(db: Queryable, run: { id: string; owner: string }): Promise<void> {
  await db.query(
    `insert into atc.heartbeat_runs (id, status, owner, started_at, finished_at, duration_ms)
     values ($1::uuid, 'skipped', $2::text, now(), now(), 0)`,
    [run.id, run.owner],
  );
}

export async function finishRun(
  db: Queryable,
  run: {
    id: string;
    status: Exclude<HeartbeatRunStatus, 'running' | 'skipped'>;
    durationMs: number;
    phases: readonly unknown[];
    errors: readonly RunError[];
  },
): Promise<void> {
  await db.query(
    `update atc.heartbeat_runs
        set status = $2::text,
            finished_at = now(),
            duration_ms = $3::int,
            phases = $4::jsonb,
            errors = $5::jsonb
      where id = $1::uuid`,
    [
      run.id,
      run.status,
      Math.max(0, Math.round(run.durationMs)),
      JSON.stringify(run.phases),
      JSON.stringify(run.errors),
    ],
  );
}

/**
 * Marks a run that never finished (its lease expired and was taken over) as failed. Only a row still
 * `running` changes: a run that recorded itself before dying keeps its own verdict.
 */
export async function markRunStuck(
  db: Queryable,
  stuck: { runId: string; owner: string | null; leaseExpiredAt: Date | null; takenOverBy: string },
): Promise<boolean> {
  const error: RunError = {
    phase: null,
    code: 'stuck',
    message:
      `run never finished: its lease (owner ${stuck.owner ?? 'unknown'}) expired at ` +
      `${stuck.leaseExpiredAt?.toISOString() ?? 'an unknown time'} and run ${stuck.takenOverBy} took over`,
  };
  const row = await queryOne<{ id: string }>(
    db,
    `update atc.heartbeat_runs
        set status = 'failure',
            finished_at = coalesce($2::timestamptz, now()),
            duration_ms = greatest(0, (extract(epoch from (coalesce($2::timestamptz, now()) - started_at)) * 1000)::int),
            errors = errors || $3::jsonb
      where id = $1::uuid and status = 'running'
  returning id`,
    [stuck.runId, stuck.leaseExpiredAt, JSON.stringify([error])],
  );
  return row !== undefined;
}
