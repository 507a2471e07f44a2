import type { Pool, PoolClient, Queryable } from '@atc/platform';
import { InputError, withTransaction } from '@atc/platform';
import { systemClock, type Clock, type HaltsState, type Market } from '@atc/contracts';
import { appendAudit } from './audit-log';
import { appendEvent } from './events.queries';
import { clearLossLatch, selectHalts, updateHaltScope, type HaltScope } from './halts.queries';

export interface HaltRequest {
  readonly scope: HaltScope;
  readonly reason?: string;
  readonly by: string;
  /** Stamps the halt's `since`; the system clock by default. */
  readonly clock?: Clock;
}

/** Who asks, and the clock that stamps the halt (optional: the system clock). */
interface Requester {
  readonly by: string;
  readonly clock?: Clock;
}

async function toggle(pool: Pool, request: HaltRequest, halted: boolean): Promise<HaltsState> {
  if (halted && !request.reason?.trim()) throw new InputError('a halt needs a reason');
  return withTransaction(pool, async (client) => {
    // The row lock waits for every worker transaction holding it `for share` (a step mid-way to
    // `executing`); once this commits, no later transition can miss the halt.
    await selectHalts(client, 'update');
    const halt = halted
      ? {
          reason: request.reason!.trim(),
          by: request.by,
          since: (request.clock ?? systemClock).now().toISOString(),
        }
      : null;
    // A release may say why too (the API asks for it); the halt itself keeps only an engaged reason.
    const reason = halt?.reason ?? (request.reason?.trim() || null);
    await updateHaltScope(client, request.scope, halt, request.by);
    await appendEvent(client, {
      type: 'halt_changed',
      aggregateType: 'halt',
      aggregateId: request.scope,
      market: request.scope === 'global' ? null : request.scope,
      payload: { scope: request.scope, halted, reason, by: request.by },
    });
    const action = request.scope === 'global' ? 'kill_switch' : 'market_halt';
    await appendAudit(client, {
      actor: request.by,
      action: `${action}.${halted ? 'engaged' : 'released'}`,
      subjectType: 'halt',
      subjectId: request.scope,
      details: { reason },
    });
    return selectHalts(client);
  });
}

/** `atc kill-switch on`: stops every new entry and, through the workers' check, every new order. */
export function engageKillSwitch(pool: Pool, request: Requester & { reason: string }): Promise<HaltsState> {
  return toggle(pool, { scope: 'global', ...request }, true);
}

export function releaseKillSwitch(pool: Pool, request: Requester & { reason?: string }): Promise<HaltsState> {
  return toggle(pool, { ...request, scope: 'global' }, false);
}

export function haltMarket(
  pool: Pool,
  request: Requester & { market: Market; reason: string },
): Promise<HaltsState> {
  return toggle(pool, { ...request, scope: request.market }, true);
}

export function resumeMarket(
  pool: Pool,
  request: Requester & { market: Market; reason?: string },
): Promise<HaltsState> {
  return toggle(pool, { ...request, scope: request.market }, false);
}

/** An operator's reset of the daily-loss latch (entries resume); `reason` goes to the audit log. */
export async function resetLossLatch(pool: Pool, request: { by: string; reason?: string }): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    await selectHalts(client, 'update');
    const cleared = await clearLossLatch(client, request.by);
    if (!cleared) return false;
    await appendEvent(client, {
      type: 'loss_latch_changed',
      aggregateType: 'halt',
      aggregateId: 'loss_latch',
      payload: { tripped: false, realisedPnlUsd: null, by: request.by },
    });
    await appendAudit(client, {
      actor: request.by,
      action: 'loss_latch.reset',
      subjectType: 'halt',
      subjectId: 'loss_latch',
      details: { reason: request.reason?.trim() || null },
    });
    return true;
  });
}

export function readHalts(db: Queryable): Promise<HaltsState> {
  return selectHalts(db);
}

export interface ExecutionHalt {
  readonly halted: boolean;
  /** `kill_switch`, `market_halted` or `daily_loss_latched` when halted. */
  readonly code: 'kill_switch' | 'market_halted' | 'daily_loss_latched' | null;
  readonly reason: string | null;
}

/**
 * For the worker's transaction that moves a step to `executing` (issue 4, invariant 5): reads the
 * halt `for share`, so a kill switch either committed before (and is seen here) or waits until this
 * transaction ends. `reducing` is true for orders that only close risk (allowed through the loss
 * latch, and through halts when `allowClosingWhenHalted`, which the caller passes).
 */
export async function readHaltForExecution(
  client: PoolClient,
  market: Market,
  options: { reducing: boolean; allowClosingWhenHalted: boolean },
): Promise<ExecutionHalt> {
  const halts = await selectHalts(client, 'share');
  const closingAllowed = options.reducing && options.allowClosingWhenHalted;
  if (halts.global && !closingAllowed)
    return { halted: true, code: 'kill_switch', reason: halts.global.reason };
  const marketHalt = halts.markets[market];
  if (marketHalt && !closingAllowed)
    return { halted: true, code: 'market_halted', reason: marketHalt.reason };
  if (halts.lossLatch && !options.reducing) {
    return {
      halted: true,
      code: 'daily_loss_latched',
      reason: `daily loss latch tripped on ${halts.lossLatch.tradingDay}`,
    };
  }
  return { halted: false, code: null, reason: null };
}
