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

/** Every step transition the events outbox holds, in event order (the entries of `steps_status_changed`). */
export async function recordedStepChanges(db: Queryable): Promise<RecordedStepChange[]> {
  const result = await db.query<RecordedStepChange>(
    `select e.id::text as "eventId", x.change ->> 'stepId' as "stepId",
            x.change ->> 'missionId' as "missionId", x.change ->> 'from' as "from", x.change ->> 'to' as "to",
            x.change ->> 'market' as market, x.change ->> 'error' as error
       from atc.events e
      cross join lateral jsonb_array_elements(e.payload -> 'changes') with ordinality as x(change, n)
      where e.type = 'steps_status_changed'
      order by e.id, x.n`,
  );
  return result.rows;
}

/**
 * What the events outbox fails to account for, as sentences (none when all is well): for every step,
 * its recorded changes must form one chain from `queued` (steps are created queued) to the status it
 * has now — a writer that moved a step without its event, or recorded one change twice, breaks the
 * chain — and every mission's status must be what atc.mission_status_from_steps makes of its steps.
 * One statement, so one snapshot: it can run while workers are still committing.
 */
export async function unaccountedStepChanges(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{
    changes: { stepId: string; from: StepStatus; to: StepStatus }[] | null;
    steps: { id: string; status: StepStatus }[] | null;
    missions: { id: string; status: string; rule: string }[] | null;
  }>(
    `select (select json_agg(json_build_object('stepId', x.change ->> 'stepId', 'from', x.change ->> 'from',
                                               'to', x.change ->> 'to') order by e.id, x.n)
               from atc.events e
              cross join lateral jsonb_array_elements(e.payload -> 'changes') with ordinality as x(change, n)
              where e.type = 'steps_status_changed') as changes,
            (select json_agg(json_build_object('id', s.id, 'status', s.status)) from atc.steps s) as steps,
            (select json_agg(json_build_object(
                      'id', m.id, 'status', m.status,
                      'rule', atc.mission_status_from_steps(array(
                                select s.status from atc.steps s where s.mission_id = m.id order by s.seq))))
               from atc.missions m) as missions`,
  );
  const { changes, steps, missions } = rows[0]!;
  const problems: string[] = [];
  for (const step of steps ?? []) {
    let status: StepStatus = 'queued';
    for (const change of (changes ?? []).filter((c) => c.stepId === step.id)) {
      if (change.from !== status)
        problems.push(`step ${step.id}: a change from ${change.from} after ${status}`);
      status = change.to;
    }
    if (status !== step.status)
      problems.push(`step ${step.id} is ${step.status}; its events end at ${status}`);
  }
  for (const m of missions ?? []) {
    if (m.status !== m.rule) problems.push(`mission ${m.id} is ${m.status}; its steps make it ${m.rule}`);
  }
  return problems;
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
