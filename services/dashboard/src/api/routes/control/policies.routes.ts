/**
 * Policies: all, one, a key's version history, and setting one (admin) through the same `setPolicy`
 * as `atc policy set` — validated by the key's schema, versioned, evented and audited.
 * @module
 */
import {
  PageQuery,
  PolicyHistoryPage,
  PolicyItem,
  PolicyList,
  PolicyParams,
  PolicySetBody,
} from '@atc/contracts';
import { getPolicy, selectPolicies, selectPolicyHistoryPage, setPolicy } from '@atc/trading';
import { defineRoute, ok, type ApiRoute } from '../../api-route';
import { decodeCursor, IdCursor, nextCursorOf } from '../page-cursor';
import { actorOf } from './actor';

interface StoredPolicy {
  readonly key: PolicyItem['key'];
  readonly value: unknown;
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

const itemOf = (row: StoredPolicy): PolicyItem => ({ ...row, updatedAt: row.updatedAt.toISOString() });

const listPolicies = defineRoute({
  method: 'GET',
  path: '/api/policies',
  access: 'read',
  tag: 'policies',
  summary: 'Every policy as stored now, with its version.',
  response: PolicyList,
  async handle(_input, { pool }) {
    return ok({ items: (await selectPolicies(pool)).map(itemOf) });
  },
});

const getOnePolicy = defineRoute({
  method: 'GET',
  path: '/api/policies/:key',
  access: 'read',
  tag: 'policies',
  summary: 'One policy (404 when it was never set).',
  params: PolicyParams,
  response: PolicyItem,
  async handle({ params }, { pool }) {
    return ok(itemOf(await getPolicy(pool, params.key)));
  },
});

const policyHistory = defineRoute({
  method: 'GET',
  path: '/api/policies/:key/history',
  access: 'read',
  tag: 'policies',
  summary: "A policy's changes, newest first, from the audit log (who, when, version, value).",
  params: PolicyParams,
  query: PageQuery,
  response: PolicyHistoryPage,
  async handle({ params, query }, { pool }) {
    const beforeId = decodeCursor(query.cursor, IdCursor);
    const page = await selectPolicyHistoryPage(pool, {
      key: params.key,
      ...(beforeId === undefined ? {} : { beforeId }),
      limit: query.limit,
    });
    return ok({
      items: page.rows.map((row) => ({ ...row, at: row.at.toISOString() })),
      nextCursor: nextCursorOf(page.next),
    });
  },
});

const putPolicy = defineRoute({
  method: 'PUT',
  path: '/api/policies/:key',
  access: 'policies.set',
  tag: 'policies',
  summary: "Sets a policy: validated by the key's schema (as `atc policy set`), versioned and audited.",
  params: PolicyParams,
  body: PolicySetBody,
  response: PolicyItem,
  writes: true,
  async handle({ params, body }, context) {
    const row = await setPolicy(context.pool, { key: params.key, value: body.value, by: actorOf(context) });
    return ok(itemOf(row));
  },
});

export const policyRoutes: readonly ApiRoute[] = [listPolicies, getOnePolicy, policyHistory, putPolicy];
