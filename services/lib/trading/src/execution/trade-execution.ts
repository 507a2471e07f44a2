import Decimal from 'decimal.js';
import type { Pool, PoolClient } from 'pg';
import {
  errorMessage,
  OutcomeUnknownError,
  PermanentError,
  withTransaction,
  type Logger,
} from '@atc/platform';
import { appendAudit } from '../audit-log';
import type { PriceQuote } from '../entry-pricing';
import { readHaltForExecution } from '../kill-switch';
import type { OrderPricing } from '../ledger.queries';
import { recordOrderIntent, setOrderStatus } from '../ledger';
import { readPolicySnapshot, type PolicySnapshot } from '../policies';
import { selectCurrentExposure } from '../risk-gates.queries';
import type { Clock } from '@atc/contracts';
import {
  transitionForOutcome,
  transitionStep,
  type ClaimedStep,
  type StepExecutor,
  type StepLease,
  type StepOutcome,
} from '@atc/queue';
import { planOrder, type PlannedOrder } from './order-request';
import {
  isTerminalVenueStatus,
  provesOrderNotSent,
  type ExecutionLookup,
  type ExecutionOrderRequest,
  type ExecutionVenue,
  type ExecutionVenueOrder,
} from './execution-venue';
import { syncVenueOrder } from './venue-order-sync';
import { checkSendPrice, quoteBeforeSend, type SendCheck } from './send-pricing';
import { countExecution, executionResultOf, type TradeExecutionCounter } from './trade-execution-metrics';

/** Named instants around the venue call where the chaos test can kill the process. */
export type ExecutionCrashPoint = 'after_intent_committed' | 'after_venue_answered' | 'after_step_settled';

export interface TradeExecutionOptions {
  readonly pool: Pool;
  readonly venue: ExecutionVenue;
  /** Recorded in the audit log as the actor of orders and fills. */
  readonly actor: string;
  /** How long to watch a resting order before leaving it to the reconciler. */
  readonly settleWaitMs?: number;
  readonly settlePollMs?: number;
  /**
   * The worker's clock: send-time prices and exposure are judged as of its `now()`, and fills learned
   * from the venue are stamped with it. The role's main passes `systemClock`; tests a fixed one.
   */
  readonly clock: Clock;
  /** `atc_trade_executions_total` (the worker's registry); absent: not counted. */
  readonly executions?: TradeExecutionCounter;
  /** Test-only fault injection; undefined in production. */
  readonly crashPoint?: (point: ExecutionCrashPoint) => void;
}

type PhaseOne =
  | { readonly kind: 'ready'; readonly request: ExecutionOrderRequest }
  | { readonly kind: 'settled'; readonly outcome: StepOutcome };

/**
 * Two-phase trade execution (design §5, invariants 2, 3 and 5):
 * 1. one transaction reads the halt `for share`, re-checks exposure, commits the order intent with its
 *    deterministic client order id and moves the step to `executing`;
 * 2. the venue is called with that id;
 * 3. one transaction records what the venue did (order, fills, position, events, audit) and settles
 *    the step. An ambiguous answer is looked up by client order id first; still unknown → the step
 *    waits in `needs_reconciliation`. Nothing is ever resent without a lookup.
 */
export function createTradeStepExecutor(options: TradeExecutionOptions): StepExecutor {
  return async (step, context) => {
    const now = options.clock.now();
    // Outside the transaction: a slow venue must not hold the halt row's share lock.
    const sendQuote = await quoteBeforeSend(options.venue, step, now, context.logger);
    const phaseOne = await withTransaction(options.pool, (client) =>
      commitIntent(client, options, step, context.lease, { quote: sendQuote, now }),
    );
    if (phaseOne.kind === 'settled') return phaseOne.outcome;
    options.crashPoint?.('after_intent_committed');
    const answer = await submit(options.venue, phaseOne.request);
    options.crashPoint?.('after_venue_answered');
    const outcome = await settleAnswer(
      options,
      step,
      context.lease,
      phaseOne.request,
      answer,
      context.logger,
    );
    options.crashPoint?.('after_step_settled');
    return outcome;
  };
}

type Refusal = { readonly to: 'cancelled' | 'failed'; readonly error: string; readonly audited?: boolean };

/** The checks before an intent may commit: halts (invariant 5), the send-time price (10), exposure. */
async function refusalBeforeIntent(
  client: PoolClient,
  plan: PlannedOrder,
  send: { readonly quote: PriceQuote | undefined; readonly now: Date },
): Promise<Refusal | { readonly priced: SendCheck | undefined }> {
  const policies = await readPolicySnapshot(client);
  const halt = await readHaltForExecution(client, plan.market, {
    reducing: plan.reducing,
    allowClosingWhenHalted: policies.riskControls.allowClosingWhenHalted,
  });
  // Invariant 5: the halt committed before this transaction, so no order may be sent.
  if (halt.halted) return { to: 'cancelled', error: `${halt.code}: ${halt.reason ?? ''}` };
  const priced = await checkSendPrice(client, plan, send.quote, policies.pricing, send.now);
  // Invariant 10: the order is worth more than was admitted (or cannot be priced); never sent.
  if (priced && !priced.ok) return { to: 'failed', error: `${priced.code}: ${priced.reason}`, audited: true };
  if (!plan.reducing) {
    const excess = await exposureExcess(client, policies, send.now);
    if (excess) return { to: 'failed', error: `total_exposure: ${excess}` };
  }
  return { priced };
}

async function commitIntent(
  client: PoolClient,
  options: TradeExecutionOptions,
  step: ClaimedStep,
  lease: StepLease,
  send: { readonly quote: PriceQuote | undefined; readonly now: Date },
): Promise<PhaseOne> {
  const plan = await planOrder(client, step);
  const checked = await refusalBeforeIntent(client, plan, send);
  if ('to' in checked) {
    const moved = await transitionStep(client, {
      lease,
      from: ['running'],
      to: checked.to,
      error: checked.error,
    });
    if (checked.audited) {
      await appendAudit(client, {
        actor: options.actor,
        action: 'order.refused',
        subjectType: 'step',
        subjectId: step.id,
        details: { reason: checked.error, market: plan.market, symbol: plan.symbol },
      });
    }
    return { kind: 'settled', outcome: { type: 'settled', status: moved ? moved.to : 'lease_lost' } };
  }
  // The step moves first: the audit append below takes the audit chain's lock, which is held until
  // commit, so it should be the last work of the transaction.
  const moved = await transitionStep(client, { lease, from: ['running'], to: 'executing' });
  if (!moved) throw new Error('lease lost before the order intent committed; nothing was sent');
  const order = await recordOrderIntent(client, {
    stepId: step.id,
    attempt: step.attempt,
    market: plan.market,
    symbol: plan.symbol,
    side: plan.side,
    orderType: plan.orderType === 'limit' ? 'limit' : 'market',
    quantity: plan.quantity,
    limitPrice: plan.limitPrice,
    multiplier: plan.multiplier,
    intent: { ...plan },
    pricing: pricingOf(plan, checked.priced),
    actor: options.actor,
  });
  return { kind: 'ready', request: requestFor(order.clientOrderId, plan) };
}

function pricingOf(plan: PlannedOrder, priced: SendCheck | undefined): OrderPricing | null {
  if (!plan.admission || !priced?.ok) return null;
  return {
    admittedNotionalUsd: plan.admission.notionalUsd,
    priceSource: plan.admission.priceSource,
    pricedAt: plan.admission.pricedAt,
    sendPrice: priced.pricing.price.price,
    sendNotionalUsd: priced.pricing.notionalUsd,
  };
}

function requestFor(clientOrderId: string, plan: PlannedOrder): ExecutionOrderRequest {
  return {
    clientOrderId,
    market: plan.market,
    instrument: plan.symbol,
    side: plan.side,
    quantity: plan.quantity,
    orderType: plan.orderType,
    ...(plan.limitPrice ? { limitPrice: plan.limitPrice } : {}),
    ...(plan.slippageBps !== undefined ? { slippageBps: plan.slippageBps } : {}),
  };
}

/**
 * Open exposure plus approved-but-unsettled entries (this step included) over the policy limit,
 * measured exactly as the gates measure it (`selectCurrentExposure`).
 */
async function exposureExcess(
  client: PoolClient,
  policies: Pick<PolicySnapshot, 'pricing' | 'tradeLimits'>,
  now: Date,
): Promise<string | undefined> {
  const { maxTotalExposureUsd } = policies.tradeLimits;
  const { totalUsd } = await selectCurrentExposure(client, policies.pricing, now);
  return new Decimal(totalUsd).gt(maxTotalExposureUsd)
    ? `exposure ${totalUsd} USD is above the current maximum ${maxTotalExposureUsd} USD`
    : undefined;
}

type VenueAnswer =
  | { readonly kind: 'order'; readonly order: ExecutionVenueOrder }
  | { readonly kind: 'rejected'; readonly reason: string }
  /** Provably never left this process (breaker open, connection refused): safe to retry. */
  | { readonly kind: 'not_sent'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

async function submit(venue: ExecutionVenue, request: ExecutionOrderRequest): Promise<VenueAnswer> {
  try {
    return { kind: 'order', order: await venue.submitOrder(request) };
  } catch (error) {
    if (error instanceof PermanentError) return { kind: 'rejected', reason: errorMessage(error) };
    if (provesOrderNotSent(error)) return { kind: 'not_sent', reason: errorMessage(error) };
    // Timeouts, resets after send, 5xx, and anything unclassified: the venue may have the order.
    return {
      kind: 'unknown',
      reason:
        error instanceof OutcomeUnknownError ? error.message : `unclassified failure: ${errorMessage(error)}`,
    };
  }
}

async function lookupAfterAmbiguity(venue: ExecutionVenue, clientOrderId: string): Promise<ExecutionLookup> {
  try {
    return await venue.lookupOrder(clientOrderId);
  } catch (error) {
    return { state: 'unknown', reason: `lookup failed: ${errorMessage(error)}` };
  }
}

async function waitForTerminal(
  options: TradeExecutionOptions,
  order: ExecutionVenueOrder,
): Promise<ExecutionVenueOrder> {
  const deadline = Date.now() + (options.settleWaitMs ?? 3_000);
  let current = order;
  while (!isTerminalVenueStatus(current.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.settlePollMs ?? 200));
    const lookup = await lookupAfterAmbiguity(options.venue, order.clientOrderId);
    if (lookup.state !== 'found') break;
    current = lookup.order;
  }
  return current;
}

async function settleAnswer(
  options: TradeExecutionOptions,
  step: ClaimedStep,
  lease: StepLease,
  request: ExecutionOrderRequest,
  first: VenueAnswer,
  logger: Logger,
): Promise<StepOutcome> {
  let answer = first;
  if (answer.kind === 'unknown') {
    logger.warn(
      { clientOrderId: request.clientOrderId, reason: answer.reason },
      'order outcome unknown; looking it up',
    );
    const lookup = await lookupAfterAmbiguity(options.venue, request.clientOrderId);
    if (lookup.state === 'found') answer = { kind: 'order', order: lookup.order };
    // "Not found" right after an ambiguous failure proves nothing: the request may still be on its way
    // (a slow network, a queued request). The reconciler decides once the venue's window has passed.
    else if (lookup.state === 'absent')
      answer = { kind: 'unknown', reason: `${answer.reason}; not at the venue yet` };
    else answer = { kind: 'unknown', reason: `${answer.reason}; lookup: ${lookup.reason}` };
  }
  if (answer.kind === 'order')
    answer = { kind: 'order', order: await waitForTerminal(options, answer.order) };
  const settled = answer;
  const transition = transitionForAnswer(step, lease, settled);
  const outcome = await withTransaction(options.pool, async (client) => {
    // Step first, ledger second: the ledger's audit appends hold the audit chain lock until commit.
    const moved = await transitionStep(client, transition);
    await recordAnswer(client, options, request, settled);
    return { type: 'settled', status: moved ? moved.to : 'lease_lost' } as const;
  });
  // Counted once committed: the venue's answer is in the ledger whether or not the lease held.
  countExecution(options.executions, request.market, executionResultOf(transition.to, settled.kind));
  return outcome;
}

/** Where the venue's answer sends the step. Anything the venue filled is a success. */
function transitionForAnswer(
  step: ClaimedStep,
  lease: StepLease,
  answer: VenueAnswer,
): NonNullable<ReturnType<typeof transitionForOutcome>> {
  const from: ['executing'] = ['executing'];
  switch (answer.kind) {
    case 'order': {
      const order = answer.order;
      const filled = new Decimal(order.filledQuantity).gt(0);
      if (!isTerminalVenueStatus(order.status)) {
        return { lease, from, to: 'needs_reconciliation', error: 'order working at the venue' };
      }
      if (order.status === 'filled' || filled) {
        return {
          lease,
          from,
          to: 'succeeded',
          result: {
            clientOrderId: order.clientOrderId,
            filledQuantity: order.filledQuantity,
            averagePrice: order.averagePrice ?? null,
          },
        };
      }
      return { lease, from, to: 'failed', error: order.rejectReason ?? `order ${order.status} at the venue` };
    }
    case 'rejected':
      return { lease, from, to: 'failed', error: answer.reason };
    case 'not_sent':
      return transitionForOutcome(step, lease, { type: 'retry', reason: answer.reason })!;
    case 'unknown':
      return { lease, from, to: 'needs_reconciliation', error: answer.reason };
  }
}

/** Writes the venue's answer to the ledger: the order's status and venue id, and any fills. */
async function recordAnswer(
  client: PoolClient,
  { actor, clock }: Pick<TradeExecutionOptions, 'actor' | 'clock'>,
  request: ExecutionOrderRequest,
  answer: VenueAnswer,
): Promise<void> {
  const clientOrderId = request.clientOrderId;
  switch (answer.kind) {
    case 'order':
      await syncVenueOrder(client, answer.order, actor, clock.now());
      return;
    case 'rejected':
      await setOrderStatus(client, { clientOrderId, status: 'rejected', error: answer.reason, actor });
      return;
    case 'not_sent':
      await setOrderStatus(client, {
        clientOrderId,
        status: 'rejected',
        error: `not sent: ${answer.reason}`,
        actor,
      });
      return;
    case 'unknown':
      await setOrderStatus(client, { clientOrderId, status: 'unknown', error: answer.reason, actor });
      return;
  }
}
