import Decimal from 'decimal.js';
import type { Pool } from 'pg';
import { errorMessage, withTransaction, type Logger } from '@atc/platform';
import type { Clock, Market } from '@atc/contracts';
import { appendEvent } from '../events.queries';
import { releaseSlots } from '../counters.queries';
import { setOrderStatus } from '../ledger';
import { transitionStep } from '@atc/queue';
import type { ExecutionLookup, ExecutionVenue } from './execution-venue';
import {
  releaseTradeSlotOfStep,
  selectSignedOpenPositions,
  selectStepsNeedingReconciliation,
  selectWorkingOrdersOfSettledSteps,
  type ReconcilableStep,
} from './reconcile.queries';
import { stepStatusForOrder, syncVenueOrder } from './venue-order-sync';

export interface ReconcileOptions {
  readonly pool: Pool;
  readonly venues: Partial<Record<Market, ExecutionVenue>>;
  readonly actor: string;
  readonly logger: Logger;
  /** Stamps the fills a reconciliation learns of; the caller's (role's or command's) clock. */
  readonly clock: Clock;
  /** Steps and orders examined per run. */
  readonly limit?: number;
  /**
   * "Not found at the venue" counts as proof only for orders older than this: a request can arrive
   * late (queued, slow network), so a young order that is not there yet stays unknown. Default 60 s.
   */
  readonly absentAfterMs?: number;
}

export interface PositionDrift {
  readonly market: Market;
  readonly venue: string;
  readonly symbol: string;
  readonly ledgerQuantity: string;
  readonly venueQuantity: string;
}

export interface ReconcileReport {
  readonly examined: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Steps the venue could not settle yet (no status, not expired, venue unreachable). */
  readonly stillUnknown: number;
  readonly oldestUnknownSeconds: number;
  readonly workingOrdersUpdated: number;
  readonly drift: PositionDrift[];
}

/**
 * Brings every trade step in `needs_reconciliation`, and every order still working at a venue, to
 * the venue's truth, looked up by client order id:
 * - found → its fills are applied (idempotently) and the step succeeds if anything filled, fails if
 *   the venue cancelled or rejected it unfilled, and waits if it is still working;
 * - absent, and older than `absentAfterMs` → the order is rejected, the step fails and its daily
 *   trade slot is given back (a younger order may still arrive, so it waits);
 * - unknown → nothing changes; the age is reported.
 * Then it compares ledger and venue positions and reports drift as events, never overwriting either;
 * a venue's cash instruments (`cashInstruments`) are not positions and are never compared.
 * Safe to run concurrently with workers and with itself.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const limit = options.limit ?? 500;
  const steps = await selectStepsNeedingReconciliation(options.pool, limit);
  const tally = { examined: steps.length, succeeded: 0, failed: 0, stillUnknown: 0, oldestUnknownSeconds: 0 };
  for (const step of steps) {
    const settled = await reconcileStep(options, step).catch((error: unknown) => {
      options.logger.warn(
        { err: error, stepId: step.stepId },
        'reconciling a step failed; it stays for the next run',
      );
      return 'unknown' as const;
    });
    if (settled === 'succeeded') tally.succeeded += 1;
    else if (settled === 'failed') tally.failed += 1;
    else {
      tally.stillUnknown += 1;
      tally.oldestUnknownSeconds = Math.max(tally.oldestUnknownSeconds, step.waitingSeconds);
    }
  }
  const workingOrdersUpdated = await refreshWorkingOrders(options, limit);
  const drift = await detectDrift(options);
  return { ...tally, workingOrdersUpdated, drift };
}

async function lookup(venue: ExecutionVenue, clientOrderId: string): Promise<ExecutionLookup> {
  try {
    return await venue.lookupOrder(clientOrderId);
  } catch (error) {
    return { state: 'unknown', reason: errorMessage(error) };
  }
}

async function reconcileStep(
  options: ReconcileOptions,
  step: ReconcilableStep,
): Promise<'succeeded' | 'failed' | 'unknown'> {
  const venue = options.venues[step.market];
  if (!step.clientOrderId) {
    // `executing` is only ever entered in the transaction that commits the intent: no intent, no order.
    return settle(options, step, 'failed', 'no order intent was recorded; nothing was sent');
  }
  if (!venue) return 'unknown';
  const found = await lookup(venue, step.clientOrderId);
  if (found.state === 'unknown') {
    options.logger.info({ stepId: step.stepId, reason: found.reason }, 'order still unknown at the venue');
    return 'unknown';
  }
  if (found.state === 'absent') {
    if ((step.orderAgeSeconds ?? 0) * 1000 < (options.absentAfterMs ?? 60_000)) return 'unknown';
    return withTransaction(options.pool, async (client) => {
      const moved = await transitionStep(client, {
        stepId: step.stepId,
        from: ['needs_reconciliation'],
        to: 'failed',
        error: `${venue.name} has no order ${step.clientOrderId}`,
      });
      if (!moved) return 'unknown';
      await setOrderStatus(client, {
        clientOrderId: step.clientOrderId!,
        status: 'rejected',
        error: 'the venue never received it',
        actor: options.actor,
      });
      const slot = await releaseTradeSlotOfStep(client, step.stepId);
      if (slot) await releaseSlots(client, { name: 'trades', tradingDay: slot.tradingDay, count: 1 });
      return 'failed';
    });
  }
  return withTransaction(options.pool, async (client) => {
    const order = await syncVenueOrder(client, found.order, options.actor, options.clock.now());
    const status = stepStatusForOrder(order);
    if (status === 'open') return 'unknown';
    const moved = await transitionStep(client, {
      stepId: step.stepId,
      from: ['needs_reconciliation'],
      to: status,
      error: status === 'failed' ? `order ${order.status} at the venue` : null,
      result: { clientOrderId: order.clientOrderId, filledQuantity: order.filledQuantity, reconciled: true },
    });
    if (!moved) return 'unknown';
    return status;
  });
}

function settle(
  options: ReconcileOptions,
  step: ReconcilableStep,
  to: 'failed',
  reason: string,
): Promise<'failed' | 'unknown'> {
  return withTransaction(options.pool, async (client) => {
    const moved = await transitionStep(client, {
      stepId: step.stepId,
      from: ['needs_reconciliation'],
      to,
      error: reason,
    });
    if (!moved) return 'unknown';
    return to;
  });
}

async function refreshWorkingOrders(options: ReconcileOptions, limit: number): Promise<number> {
  let updated = 0;
  for (const order of await selectWorkingOrdersOfSettledSteps(options.pool, limit)) {
    const venue = options.venues[order.market];
    if (!venue) continue;
    const found = await lookup(venue, order.clientOrderId);
    if (found.state !== 'found') continue;
    await withTransaction(options.pool, (client) =>
      syncVenueOrder(client, found.order, options.actor, options.clock.now()),
    );
    updated += 1;
  }
  return updated;
}

async function detectDrift(options: ReconcileOptions): Promise<PositionDrift[]> {
  const drift: PositionDrift[] = [];
  for (const [market, venue] of Object.entries(options.venues) as [Market, ExecutionVenue][]) {
    let venuePositions: { instrument: string; quantity: string }[];
    try {
      venuePositions = await venue.getPositions();
    } catch (error) {
      options.logger.warn({ err: error, market }, 'cannot read venue positions; drift not checked');
      continue;
    }
    const ledger = await selectSignedOpenPositions(options.pool, market);
    // Cash (the quote token, the fee currency) is a balance, not a position: the wallet holds it
    // from day one and fees move it, so comparing it with the ledger's positions would always differ.
    const cash = new Set(venue.cashInstruments ?? []);
    const symbols = new Set(
      [...ledger.map((p) => p.symbol), ...venuePositions.map((p) => p.instrument)].filter(
        (s) => !cash.has(s),
      ),
    );
    for (const symbol of symbols) {
      const ledgerQuantity = new Decimal(ledger.find((p) => p.symbol === symbol)?.quantity ?? '0');
      const venueQuantity = new Decimal(venuePositions.find((p) => p.instrument === symbol)?.quantity ?? '0');
      if (!ledgerQuantity.equals(venueQuantity)) {
        drift.push({
          market,
          venue: venue.name,
          symbol,
          ledgerQuantity: ledgerQuantity.toFixed(),
          venueQuantity: venueQuantity.toFixed(),
        });
      }
    }
  }
  if (drift.length > 0) {
    await withTransaction(options.pool, async (client) => {
      for (const d of drift) {
        await appendEvent(client, {
          type: 'position_drift_detected',
          aggregateType: 'position',
          aggregateId: `${d.market}:${d.symbol}`,
          market: d.market,
          payload: d,
        });
      }
    });
    options.logger.warn({ drift }, 'ledger and venue positions disagree');
  }
  return drift;
}
