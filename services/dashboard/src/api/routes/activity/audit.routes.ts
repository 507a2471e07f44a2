/**
 * The audit log: the verification `atc audit verify` runs (the same function), and its entries.
 * @module
 */
import { AuditPage, AuditQuery, AuditVerification } from '@atc/contracts';
import { selectAuditPage, verifyAuditChain } from '@atc/trading';
import { defineRoute, ok, type ApiRoute } from '../../api-route';
import { decodeCursor, IdCursor, nextCursorOf } from '../page-cursor';

const verifyAudit = defineRoute({
  method: 'GET',
  path: '/api/audit/verify',
  access: 'read',
  tag: 'audit',
  summary: 'Walks the hash chain from the genesis (as `atc audit verify`); names the first broken row.',
  response: AuditVerification,
  async handle(_input, { pool }) {
    return ok(await verifyAuditChain(pool));
  },
});

const listAudit = defineRoute({
  method: 'GET',
  path: '/api/audit',
  access: 'read',
  tag: 'audit',
  summary: 'Audit entries, newest first; optionally one actor, action or subject.',
  query: AuditQuery,
  response: AuditPage,
  async handle({ query }, { pool }) {
    const beforeId = decodeCursor(query.cursor, IdCursor);
    const page = await selectAuditPage(pool, {
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.subjectType ? { subjectType: query.subjectType } : {}),
      ...(query.subjectId ? { subjectId: query.subjectId } : {}),
      ...(beforeId === undefined ? {} : { beforeId }),
      limit: query.limit,
    });
    return ok({
      items: page.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
      nextCursor: nextCursorOf(page.next),
    });
  },
});

export const auditRoutes: readonly ApiRoute[] = [verifyAudit, listAudit];
