import { queryOne, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { PolicyKey } from '@atc/contracts';

export interface PolicyRow {
  readonly key: PolicyKey;
  readonly value: unknown;
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

const columns = `key, value, version::int as version, updated_by as "updatedBy", updated_at as "updatedAt"`;

export async function selectPolicies(db: Queryable): Promise<PolicyRow[]> {
  return runPrepared<PolicyRow>(
    db,
    'select_policies',
    `select ${columns} from atc.policies order by key`,
    [],
  );
}

export async function selectPolicy(db: Queryable, key: PolicyKey): Promise<PolicyRow | undefined> {
  return queryOne<PolicyRow>(db, `select ${columns} from atc.policies where key = $1::text`, [key]);
}

/** Every write takes the next global version, so max(version) identifies the whole policy set. */
export async function upsertPolicy(
  db: Queryable,
  key: PolicyKey,
  value: unknown,
  updatedBy: string,
): Promise<PolicyRow> {
  const row = await queryOne<PolicyRow>(
    db,
    `insert into atc.policies (key, value, updated_by) values ($1::text, $2::jsonb, $3::text)
     on conflict (key) do update
       set value = excluded.value, updated_by = excluded.updated_by,
           version = nextval('atc.policy_version_seq'), updated_at = now()
     returning ${columns}`,
    [key, JSON.stringify(value), updatedBy],
  );
  return row!;
}

/** Seeds write a default only where no value exists: an operator's setting is never overwritten. */
export async function insertPolicyIfMissing(
  db: Queryable,
  key: PolicyKey,
  value: unknown,
  updatedBy: string,
): Promise<boolean> {
  const result = await db.query(
    `insert into atc.policies (key, value, updated_by) values ($1::text, $2::jsonb, $3::text)
     on conflict (key) do nothing`,
    [key, JSON.stringify(value), updatedBy],
  );
  return result.rowCount === 1;
}
