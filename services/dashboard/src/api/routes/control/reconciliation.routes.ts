/**
 * The reconciliation queue: trade steps waiting in `needs_reconciliation`, and resolving one by hand
 * with evidence (recorded as the operator's declaration, never as venue data).
 * @module
 */
import {
  ReconciliationPage,
  ReconciliationParams,
  ReconciliationQuery,
  ReconciliationResolution,
  ReconciliationResolveBody,
  type ReconciliationItem,
} from '@atc/contracts';
import { resolveStepByHand, selectReconciliationQueuePage, type ReconciliationQueueRow } from '@atc/trading';
import { defineRoute, ok, type ApiRoute } from '../../api-route';
import { decodeCursor, nextCursorOf, TimeKeyCursor } from '../page-cursor';
import { actorOf } from './actor';

function itemOf(row: ReconciliationQueueRow, now: Date): ReconciliationItem {
  return {
    stepId: row.stepId,
    missionId: row.missionId,
    market: row.market,
    attempt: row.attempt,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    waitingSince: row.waitingSince.toISOString(),
    ageSeconds: Math.max(0, Math.floor((now.getTime() - row.waitingSince.getTime()) / 1000)),
    order:
      row.clientOrderId === null
        ? null
        : {
            clientOrderId: row.clientOrderId,
            venueOrderId: row.venueOrderId,
            symbol: row.symbol!,
            side: row.side!,
            quantity: row.quantity!,
            status: row.orderStatus!,
            filledQuantity: row.filledQuantity!,
            createdAt: row.orderCreatedAt!.toISOString(),
          },
  };
}

const listQueue = defineRoute({
  method: 'GET',
  path: '/api/reconciliation',
  access: 'read',
  tag: 'reconciliation',
  summary: 'Steps waiting in needs_reconciliation, longest-waiting first, with their order.',
  query: ReconciliationQuery,
  response: ReconciliationPage,
  async handle({ query }, { pool, clock }) {
    const page = await selectReconciliationQueuePage(pool, {
      ...(query.market ? { market: query.market } : {}),
      limit: query.limit,
      after: decodeCursor(query.cursor, TimeKeyCursor),
    });
    const now = clock.now();
    return ok({ items: page.rows.map((row) => itemOf(row, now)), nextCursor: nextCursorOf(page.next) });
  },
});

const resolve = defineRoute({
  method: 'POST',
  path: '/api/reconciliation/:stepId/resolve',
  access: 'reconciliation.resolve',
  tag: 'reconciliation',
  summary: 'Resolves a step by hand with evidence; 409 when it is no longer in needs_reconciliation.',
  params: ReconciliationParams,
  body: ReconciliationResolveBody,
  response: ReconciliationResolution,
  writes: true,
  async handle({ params, body }, context) {
    const result = await resolveStepByHand(context.pool, {
      stepId: params.stepId,
      outcome: body.outcome,
      evidence: body.evidence,
      ...(body.venueOrderId === undefined ? {} : { venueOrderId: body.venueOrderId }),
      ...(body.filledQuantity === undefined ? {} : { filledQuantity: body.filledQuantity }),
      ...(body.averagePrice === undefined ? {} : { averagePrice: body.averagePrice }),
      by: actorOf(context),
      clock: context.clock,
    });
    return ok(result);
  },
});

export const reconciliationRoutes: readonly ApiRoute[] = [listQueue, resolve];
