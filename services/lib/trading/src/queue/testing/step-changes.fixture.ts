import type { Queryable } from '@atc/platform';
import type { StepStatus } from '@atc/contracts';

export interface RecordedStepChange {
  readonly eventId: string;
  readonly stepId: string;
  readonly missionId: string;
  readonly from: StepStatus;
  readonly to: StepStatus;
  readonly market: string | null;
  readonly error: string | null;
}

/**
 * Every step transition the events outbox holds, in event order: single transitions
 * (`step_status_changed`) and the entries of batched ones (`steps_status_changed`) alike.
 */
export async function recordedStepChanges(db: Queryable): Promise<RecordedStepChange[]> {
  const result = await db.query<RecordedStepChange>(
    `select e.id::text as "eventId", c ->> 'stepId' as "stepId", c ->> 'missionId' as "missionId",
            c ->> 'from' as "from", c ->> 'to' as "to", c ->> 'market' as market, c ->> 'error' as error
       from atc.events e
      cross join lateral jsonb_array_elements(
              case when e.type = 'steps_status_changed' then e.payload -> 'changes'
                   else jsonb_build_array(e.payload) end) as c
      where e.type in ('step_status_changed', 'steps_status_changed')
      order by e.id`,
  );
  return result.rows;
}

/** Mission transitions recorded as events, in event order. */
export async function recordedMissionChanges(
  db: Queryable,
): Promise<{ missionId: string; from: string; to: string }[]> {
  const result = await db.query<{ missionId: string; from: string; to: string }>(
    `select payload ->> 'missionId' as "missionId", payload ->> 'from' as "from", payload ->> 'to' as "to"
       from atc.events where type = 'mission_status_changed' order by id`,
  );
  return result.rows;
}
