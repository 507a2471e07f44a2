/**
 * The heartbeat's runs as the operator reads them (`GET /api/heartbeat/runs`, the System view's
 * history, and the last run of the company status): start, duration, status, errors and each phase's
 * name, outcome and time.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import { type KeysetPage, type KeysetRequest, type TimeKey, timeKeyedPage } from './keyset';

export interface HeartbeatRunView {
  readonly id: string;
  readonly status: string;
  readonly owner: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  readonly errors: readonly { phase: string | null; code: string; message: string }[];
  /** Each phase in run order: its name, outcome and time (the runner's other keys are left out). */
  readonly phases: readonly { name: string | null; status: string | null; durationMs: number | null }[];
}

/** The columns of a {@link HeartbeatRunView} of `atc.heartbeat_runs` (no alias). */
export const heartbeatRunColumns = `id, status, owner, started_at as "startedAt", finished_at as "finishedAt",
  duration_ms as "durationMs", errors,
  -- only the keys a status reader shows; with ordinality keeps the runner's phase order
  coalesce(
    (select jsonb_agg(
              jsonb_build_object(
                'name', phase.value ->> 'name',
                'status', phase.value ->> 'status',
                'durationMs', (phase.value ->> 'durationMs')::double precision)
              order by phase.ordinality)
       from jsonb_array_elements(
              case when jsonb_typeof(phases) = 'array' then phases else '[]'::jsonb end
            ) with ordinality as phase(value, ordinality)),
    '[]'::jsonb) as phases`;

/**
 * Newest first, skipped runs included (a run that found the lease held elsewhere says so);
 * served by heartbeat_runs_started_at_idx.
 */
export async function pageHeartbeatRuns(
  db: Queryable,
  page: KeysetRequest<TimeKey>,
): Promise<KeysetPage<HeartbeatRunView, TimeKey>> {
  const rows = await queryRows<HeartbeatRunView & { sortKey: string }>(
    db,
    `select ${heartbeatRunColumns}, to_json(started_at) #>> '{}' as "sortKey"
       from atc.heartbeat_runs
      where ($1::timestamptz is null or (started_at, id) < ($1::timestamptz, $2::uuid))
      order by started_at desc, id desc
      limit $3::int`,
    [page.after?.at ?? null, page.after?.id ?? null, page.limit + 1],
  );
  return timeKeyedPage(rows, page.limit);
}
