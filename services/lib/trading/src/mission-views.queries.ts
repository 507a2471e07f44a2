/**
 * The operator's reads of missions and their steps (attempts, last errors, lease owners).
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, MissionStatus, StepKind, StepStatus } from '@atc/contracts';
import { type KeysetPage, type KeysetRequest, type TimeKey, timeKeyedPage } from './keyset';

export interface MissionView {
  readonly id: string;
  readonly proposalId: string;
  readonly title: string;
  readonly status: MissionStatus;
  /** The markets its steps trade in (none for an analysis-only mission). */
  readonly markets: Market[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

export interface StepView {
  readonly id: string;
  readonly missionId: string;
  readonly seq: number;
  readonly kind: StepKind;
  readonly market: Market | null;
  readonly status: StepStatus;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly lastError: string | null;
  readonly runAfter: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly payload: unknown;
  readonly result: unknown;
}

const missionColumns = `m.id, m.proposal_id as "proposalId", m.title, m.status,
  array(select distinct s.market::text from atc.steps s
         where s.mission_id = m.id and s.market is not null order by 1) as markets,
  m.created_at as "createdAt", m.updated_at as "updatedAt", m.finished_at as "finishedAt"`;

const stepColumns = `s.id, s.mission_id as "missionId", s.seq, s.kind, s.market, s.status, s.attempt,
  s.max_attempts as "maxAttempts", s.lease_owner as "leaseOwner", s.lease_expires_at as "leaseExpiresAt",
  s.last_error as "lastError", s.run_after as "runAfter", s.started_at as "startedAt",
  s.finished_at as "finishedAt", s.payload, s.result`;

/** Newest first; served by missions_status_created_at_idx when filtered by status. */
export async function pageMissions(
  db: Queryable,
  filter: { readonly status?: MissionStatus | undefined; readonly market?: Market | undefined },
  page: KeysetRequest<TimeKey>,
): Promise<KeysetPage<MissionView, TimeKey>> {
  const rows = await queryRows<MissionView & { sortKey: string }>(
    db,
    `select ${missionColumns}, to_json(m.created_at) #>> '{}' as "sortKey"
       from atc.missions m
      where ($1::text is null or m.status = $1::text)
        and ($2::text is null or exists (
              select 1 from atc.steps s where s.mission_id = m.id and s.market = $2::text))
        and ($3::timestamptz is null or (m.created_at, m.id) < ($3::timestamptz, $4::uuid))
      order by m.created_at desc, m.id desc
      limit $5::int`,
    [
      filter.status ?? null,
      filter.market ?? null,
      page.after?.at ?? null,
      page.after?.id ?? null,
      page.limit + 1,
    ],
  );
  return timeKeyedPage(rows, page.limit);
}

export async function selectMissionView(db: Queryable, id: string): Promise<MissionView | undefined> {
  return queryOne<MissionView>(db, `select ${missionColumns} from atc.missions m where m.id = $1::uuid`, [
    id,
  ]);
}

/** A mission's steps in their order. */
export async function selectMissionSteps(db: Queryable, missionId: string): Promise<StepView[]> {
  return queryRows<StepView>(
    db,
    `select ${stepColumns} from atc.steps s where s.mission_id = $1::uuid order by s.seq`,
    [missionId],
  );
}

export async function selectStepView(db: Queryable, id: string): Promise<StepView | undefined> {
  return queryOne<StepView>(db, `select ${stepColumns} from atc.steps s where s.id = $1::uuid`, [id]);
}
