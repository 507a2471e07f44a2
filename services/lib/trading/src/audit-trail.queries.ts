/**
 * Reading the audit log: pages of entries newest first (optionally one actor, action or subject), and
 * a policy's version history, which is its `policy.set` entries (the policies table keeps only the
 * current value; the hash-chained log keeps every one, with who set it).
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { PolicyKey } from '@atc/contracts';
import { keysetPage, type KeysetPage } from './keyset';

export interface AuditRow {
  readonly id: string;
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details: Record<string, unknown>;
  readonly hash: string;
  readonly prevHash: string;
  readonly createdAt: Date;
}

export interface AuditPageQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  /** Exclusive: the page starts below this id. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** Entries newest first by id (the chain's order), walking the primary key backwards. */
export async function selectAuditPage(
  db: Queryable,
  query: AuditPageQuery,
): Promise<KeysetPage<AuditRow, string>> {
  const rows = await queryRows<AuditRow>(
    db,
    `select id::text as id, actor, action, subject_type as "subjectType", subject_id as "subjectId",
            details, hash, prev_hash as "prevHash", created_at as "createdAt"
       from atc.audit_log
      where ($1::bigint is null or id < $1::bigint)
        and ($2::text is null or actor = $2::text)
        and ($3::text is null or action = $3::text)
        and ($4::text is null or subject_type = $4::text)
        and ($5::text is null or subject_id = $5::text)
      order by audit_log.id desc -- the column, not the text alias of the same name
      limit $6::int`,
    [
      query.beforeId ?? null,
      query.actor ?? null,
      query.action ?? null,
      query.subjectType ?? null,
      query.subjectId ?? null,
      query.limit + 1,
    ],
  );
  return keysetPage(rows, query.limit, (row) => row.id);
}

export interface PolicyVersionRow {
  readonly auditId: string;
  readonly key: PolicyKey;
  readonly version: number | null;
  readonly value: unknown;
  readonly by: string;
  readonly at: Date;
}

/**
 * A policy's changes, newest first: each `policy.set` audit entry carries the version and the value
 * set. A value only ever seeded (never set) has no entry; the current row says so by its `updatedBy`.
 */
export async function selectPolicyHistoryPage(
  db: Queryable,
  query: { key: PolicyKey; beforeId?: string; limit: number },
): Promise<KeysetPage<PolicyVersionRow, string>> {
  const rows = await queryRows<PolicyVersionRow>(
    db,
    `select id::text as "auditId", subject_id as key, (details ->> 'version')::int as version,
            details -> 'value' as value, actor as by, created_at as at
       from atc.audit_log
      -- walks the primary key backwards; policy changes are rare, so the filter discards little
      where subject_type = 'policy' and subject_id = $1::text and action = 'policy.set'
        and ($2::bigint is null or id < $2::bigint)
      order by audit_log.id desc
      limit $3::int`,
    [query.key, query.beforeId ?? null, query.limit + 1],
  );
  return keysetPage(rows, query.limit, (row) => row.auditId);
}
