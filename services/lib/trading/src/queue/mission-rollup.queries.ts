import { queryOne, type Queryable } from '@atc/platform';
import type { MissionStatus } from '@atc/contracts';

export interface MissionStatusChange {
  readonly missionId: string;
  readonly from: MissionStatus;
  readonly to: MissionStatus;
}

/**
 * Derives a mission's status from its steps and stores it when it changed:
 * - any step still queued, running, executing or awaiting reconciliation → `running` once one has
 *   started (`queued` before that);
 * - all terminal → `failed` if any failed or went dead, else `succeeded` if any succeeded, else `cancelled`.
 * The mission row is locked first so two workers finishing sibling steps roll up one after the other.
 */
export async function rollUpMission(
  db: Queryable,
  missionId: string,
): Promise<MissionStatusChange | undefined> {
  return queryOne<MissionStatusChange>(
    db,
    `with mission as (
       select id, status from atc.missions where id = $1::uuid for update
     ),
     derived as (
       select case
                when bool_or(s.status in ('queued', 'running', 'executing', 'needs_reconciliation')) then
                  case when bool_or(s.status <> 'queued' or s.started_at is not null) then 'running' else 'queued' end
                when bool_or(s.status in ('failed', 'dead')) then 'failed'
                when bool_or(s.status = 'succeeded') then 'succeeded'
                else 'cancelled'
              end as status
         from atc.steps s
        where s.mission_id = $1::uuid
     )
     update atc.missions m
        set status = derived.status,
            finished_at = case when derived.status in ('succeeded', 'failed', 'cancelled') then now() end,
            updated_at = now()
       from mission, derived
      where m.id = mission.id
        and derived.status is not null
        and m.status is distinct from derived.status
  returning m.id as "missionId", mission.status as "from", m.status as "to"`,
    [missionId],
  );
}
