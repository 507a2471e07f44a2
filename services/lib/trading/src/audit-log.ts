import type { Pool } from '@atc/platform';
import type { Queryable } from '@atc/platform';
import { canonicalJson } from '@atc/contracts';
import { sha256Hex } from './content-hash';
import {
  insertAuditRow,
  lockAuditChain,
  readAuditHead,
  readAuditPage,
  reserveAuditRow,
  type AuditRow,
} from './audit-log.queries';

/** The chain's anchor: the prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  readonly actor: string;
  /** Dotted verb, e.g. `proposal.decided`, `kill_switch.engaged`. */
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly details?: Record<string, unknown>;
}

type HashedFields = Omit<AuditRow, 'hash' | 'prevHash'>;

/** The exact text hashed for a row; verification recomputes it from what is stored. */
export function canonicalAuditRow(row: HashedFields): string {
  return canonicalJson({
    id: row.id,
    actor: row.actor,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  });
}

export function chainHash(prevHash: string, row: HashedFields): string {
  return sha256Hex(prevHash + canonicalAuditRow(row));
}

/**
 * Appends one row to the hash-chained audit log in the caller's transaction. Must run inside a
 * transaction (the chain lock is transaction-scoped) and should be its last write.
 */
export async function appendAudit(client: Queryable, entry: AuditEntry): Promise<string> {
  await lockAuditChain(client);
  const head = await readAuditHead(client);
  const reserved = await reserveAuditRow(client);
  const fields: HashedFields = {
    id: reserved.id,
    actor: entry.actor,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    // Round-trip through JSON so the hashed value equals what jsonb will give back.
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as unknown,
    createdAt: reserved.createdAt,
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  await insertAuditRow(client, { ...fields, prevHash, hash: chainHash(prevHash, fields) });
  return reserved.id;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The first row whose link or content does not hold. */
  readonly firstBroken?: { readonly id: string; readonly problem: string };
}

const PAGE = 1_000;

/** Walks the chain from the genesis in id order and names the first broken link. */
export async function verifyAuditChain(pool: Pool | Queryable): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterId = '0';
  let checked = 0;
  for (;;) {
    const page = await readAuditPage(pool, afterId, PAGE);
    for (const row of page) {
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          firstBroken: { id: row.id, problem: 'prev_hash does not match the previous row' },
        };
      }
      if (chainHash(prevHash, row) !== row.hash) {
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
