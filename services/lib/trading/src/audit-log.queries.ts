import { queryOne, queryRows, type Queryable } from '@atc/platform';

/** Any constant works: it only has to be the same for every appender. */
export const AUDIT_CHAIN_LOCK_KEY = 7_310_001;

export interface AuditRow {
  readonly id: string;
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details: unknown;
  readonly prevHash: string;
  readonly hash: string;
  readonly createdAt: Date;
}

/**
 * Serialises appends until the caller's transaction ends, so two writers never read the same head
 * and fork the chain. Take it last in a transaction (after row locks) to keep the lock order fixed.
 */
export async function lockAuditChain(db: Queryable): Promise<void> {
  await db.query('select pg_advisory_xact_lock($1::bigint)', [AUDIT_CHAIN_LOCK_KEY]);
}

export async function readAuditHead(db: Queryable): Promise<{ hash: string } | undefined> {
  return queryOne<{ hash: string }>(db, 'select hash from atc.audit_log order by id desc limit 1');
}

/** The next id and the server's clock, read before the row exists because both are hashed. */
export async function reserveAuditRow(db: Queryable): Promise<{ id: string; createdAt: Date }> {
  const row = await queryOne<{ id: string; createdAt: Date }>(
    db,
    `select nextval(pg_get_serial_sequence('atc.audit_log', 'id'))::text as id,
            date_trunc('milliseconds', clock_timestamp()) as "createdAt"`,
  );
  return row!;
}

export async function insertAuditRow(db: Queryable, row: AuditRow): Promise<void> {
  await db.query(
    `insert into atc.audit_log (id, actor, action, subject_type, subject_id, details, prev_hash, hash, created_at)
     values ($1::bigint, $2::text, $3::text, $4::text, $5::text, $6::jsonb, $7::text, $8::text, $9::timestamptz)`,
    [
      row.id,
      row.actor,
      row.action,
      row.subjectType,
      row.subjectId,
      JSON.stringify(row.details),
      row.prevHash,
      row.hash,
      row.createdAt,
    ],
  );
}

/** One page of the chain in id order (keyset pagination, so verification streams any length). */
export async function readAuditPage(db: Queryable, afterId: string, limit: number): Promise<AuditRow[]> {
  return queryRows<AuditRow>(
    db,
    `select id::text as id, actor, action, subject_type as "subjectType", subject_id as "subjectId",
            details, prev_hash as "prevHash", hash, created_at as "createdAt"
       from atc.audit_log
      where id > $1::bigint
      order by id
      limit $2::int`,
    [afterId, limit],
  );
}
