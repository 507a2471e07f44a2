import type { Queryable } from '@atc/platform';
import { GENESIS_HASH, insertChainedAuditRow, readAuditPage } from './audit-log.queries';

export { GENESIS_HASH };

export interface AuditEntry {
  readonly actor: string;
  /** Dotted verb, e.g. `proposal.decided`, `kill_switch.engaged`. */
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Appends one row to the hash-chained audit log (hash = sha256(prev_hash ‖ canonical row), see
 * migrations/functions/audit_hash.sql) in the caller's transaction. Must run inside a transaction, as its last write:
 * the chain lock it takes is held until commit.
 */
export async function appendAudit(client: Queryable, entry: AuditEntry): Promise<string> {
  return insertChainedAuditRow(client, { ...entry, details: entry.details ?? {} });
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The first row whose link or content does not hold. */
  readonly firstBroken?: { readonly id: string; readonly problem: string };
}

const PAGE = 1_000;

/** Walks the chain from the genesis in id order and names the first broken link. */
export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterId = '0';
  let checked = 0;
  for (;;) {
    const page = await readAuditPage(db, afterId, PAGE);
    for (const row of page) {
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          firstBroken: { id: row.id, problem: 'prev_hash does not match the previous row' },
        };
      }
      if (row.recomputed !== row.hash) {
        return {
          ok: false,
          checked,
          firstBroken: { id: row.id, problem: 'content does not match its hash' },
        };
      }
      prevHash = row.hash;
      afterId = row.id;
      checked++;
    }
    if (page.length < PAGE) return { ok: true, checked };
  }
}
