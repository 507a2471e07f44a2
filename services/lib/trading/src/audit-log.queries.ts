import { queryRows, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';

/** The chain's anchor: the prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The advisory lock key atc.append_audit serialises appenders with (migrations/functions/append_audit.sql). */
export const AUDIT_CHAIN_LOCK_KEY = 7_310_001;

export interface NewAuditRow {
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details: unknown;
}

/**
 * Appends one row chained onto the current head through atc.append_audit, which takes the chain
 * lock and inserts in one round trip: the lock is then held only for this call and the commit.
 */
export async function insertChainedAuditRow(db: Queryable, row: NewAuditRow): Promise<string> {
  const [inserted] = await runPrepared<{ id: string }>(
    db,
    'append_audit',
    'select atc.append_audit($1::text, $2::text, $3::text, $4::text, $5::jsonb)::text as id',
    [row.actor, row.action, row.subjectType, row.subjectId, JSON.stringify(row.details)],
  );
  return inserted!.id;
}

export interface AuditCheckRow {
  readonly id: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The hash recomputed from the row as stored now. */
  readonly recomputed: string;
}

/** One page of the chain in id order (keyset pagination, so verification streams any length). */
export async function readAuditPage(db: Queryable, afterId: string, limit: number): Promise<AuditCheckRow[]> {
  return queryRows<AuditCheckRow>(
    db,
    `select id::text as id, prev_hash as "prevHash", hash,
            atc.audit_hash(prev_hash, id, actor, action, subject_type, subject_id, details, created_at) as recomputed
       from atc.audit_log
      where id > $1::bigint
      order by audit_log.id -- the column, not the text alias of the same name
      limit $2::int`,
    [afterId, limit],
  );
}
