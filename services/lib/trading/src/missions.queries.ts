import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, StepKind } from '@atc/contracts';

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
    // The mission carries its proposal's trace context (null when tracing was off at intake).
    `insert into atc.missions (proposal_id, title, traceparent)
     values ($1::uuid, $2::text, (select p.traceparent from atc.proposals p where p.id = $1::uuid))
     returning id`,
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
       -- Each step carries its mission's trace context (an uncorrelated subquery: read once).
       insert into atc.steps (mission_id, seq, kind, market, priority, max_attempts, payload, traceparent)
       select $1::uuid, s.seq, s.kind, s.market, s.priority, s."maxAttempts", s.payload,
              (select m.traceparent from atc.missions m where m.id = $1::uuid)
         from jsonb_to_recordset($2::jsonb)
           as s(seq int, kind text, market text, priority int, "maxAttempts" int, payload jsonb)
       returning id, seq
     )
     select id from inserted order by seq`,
    [missionId, JSON.stringify(steps)],
  );
  return rows.map((row) => row.id);
}
