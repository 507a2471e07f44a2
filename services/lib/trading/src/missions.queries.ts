import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, MissionStatus, StepKind, StepStatus } from '@atc/contracts';

export interface NewStep {
  readonly seq: number;
  readonly kind: StepKind;
  readonly market: Market | null;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly payload: unknown;
}

export async function insertMission(
  db: Queryable,
  mission: { proposalId: string; title: string },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.missions (proposal_id, title) values ($1::uuid, $2::text) returning id`,
    [mission.proposalId, mission.title],
  );
  return row!.id;
}

/** All steps of a mission in one statement (jsonb_to_recordset), ids returned in step order. */
export async function insertSteps(
  db: Queryable,
  missionId: string,
  steps: readonly NewStep[],
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    `with inserted as (
       insert into atc.steps (mission_id, seq, kind, market, priority, max_attempts, payload)
       select $1::uuid, s.seq, s.kind, s.market, s.priority, s."maxAttempts", s.payload
         from jsonb_to_recordset($2::jsonb)
           as s(seq int, kind text, market text, priority int, "maxAttempts" int, payload jsonb)
       returning id, seq
     )
     select id from inserted order by seq`,
    [missionId, JSON.stringify(steps)],
  );
  return rows.map((row) => row.id);
}

export async function selectStepStatuses(db: Queryable, missionId: string): Promise<StepStatus[]> {
  const rows = await queryRows<{ status: StepStatus }>(
    db,
    'select status from atc.steps where mission_id = $1::uuid order by seq',
    [missionId],
  );
  return rows.map((row) => row.status);
}

/** Locks the mission row so concurrent roll-ups of sibling steps apply one after the other. */
export async function selectMissionForUpdate(
  db: Queryable,
  missionId: string,
): Promise<{ status: MissionStatus } | undefined> {
  return queryOne<{ status: MissionStatus }>(
    db,
    'select status from atc.missions where id = $1::uuid for update',
    [missionId],
  );
}

export async function updateMissionStatus(
  db: Queryable,
  missionId: string,
  status: MissionStatus,
): Promise<void> {
  await db.query(
    `update atc.missions
        set status = $2::text, updated_at = now(),
            finished_at = case when $2::text in ('succeeded', 'failed', 'cancelled') then now() end
      where id = $1::uuid`,
    [missionId, status],
  );
}
