/**
 * The risk gates, run inside the caller's transaction, in a fixed order: content checks (no state),
 * halts and the daily-loss latch, then slots (atomic counters), then portfolio limits. A slot taken
 * by this proposal is given back before a later gate rejects it. Any thrown error aborts the
 * transaction; the intake then records the proposal as rejected with `gate_error` (fail closed).
 * @module
 */
import Decimal from 'decimal.js';
import type { Queryable } from '@atc/platform';
import {
  tradeStopLoss,
  tradeSymbol,
  type CounterName,
  type HaltsState,
  type ProposalInput,
  type ProposedStep,
  type RejectionReason,
  type TradePayload,
} from '@atc/contracts';
import { claimSlots, releaseSlots } from './counters.queries';
import { appendEvent } from './events.queries';
import { tripLossLatch } from './halts.queries';
import type { PolicySnapshot } from './policies';
import {
  declaredMismatch,
  freshPrices,
  priceEntry,
  priceKeysOf,
  type PriceQuote,
  type PricedEntry,
} from './entry-pricing';
import { selectLatestMarks } from './entry-pricing.queries';
import { hasOpenPosition, realisedPnlOnDay, selectCurrentExposure } from './risk-gates.queries';

export interface HeldSlots {
  readonly trades: number;
  readonly analyses: number;
  readonly roundtables: number;
  readonly day: string;
}

export interface Rejection {
  readonly reasonCode: RejectionReason;
  readonly reasonMessage: string;
}

/** An entry the engine priced, with its step's index in the proposal. */
export interface AdmittedEntry {
  readonly seq: number;
  readonly entry: PricedEntry;
}

export type GateResult =
  | { readonly passed: true; readonly slots: HeldSlots; readonly entries: readonly AdmittedEntry[] }
  | ({ readonly passed: false } & Rejection);

export interface GateRequest {
  readonly input: ProposalInput;
  readonly policies: PolicySnapshot;
  readonly tradingDay: string;
  /** The decision's instant: price ages and the loss latch's time are measured from it. */
  readonly asOf: Date;
  /** Venue quotes the caller took for this decision; the latest marks fill in the rest. */
  readonly quotes?: readonly PriceQuote[];
  /**
   * The proposal is judged again at its approval. Its declared notional was cross-checked when it was
   * submitted, against the prices of that moment; the market moves while it waits, so now the entry
   * is re-priced and held to the limits, and the stale declaration is not compared again.
   */
  readonly atApproval?: boolean;
}

type Trade = Extract<ProposedStep, { kind: 'execute_trade' }>;
const trades = (input: ProposalInput): TradePayload[] =>
  input.steps.filter((s): s is Trade => s.kind === 'execute_trade').map((s) => s.trade);
const reject = (reasonCode: RejectionReason, reasonMessage: string): Rejection => ({
  reasonCode,
  reasonMessage,
});

/** Gates that need no state: confidence, stop-loss. Pure, so unit-tested directly. */
export function checkTradeContent(input: ProposalInput, policies: PolicySnapshot): Rejection | null {
  const entries = trades(input);
  if (entries.length === 0) return null;
  const limits = policies.tradeLimits;
  if (input.confidence < limits.minConfidence) {
    return reject(
      'min_confidence',
      `confidence ${input.confidence} is below the minimum ${limits.minConfidence}`,
    );
  }
  for (const trade of entries) {
    if (policies.riskControls.stopLossRequired && tradeStopLoss(trade) === undefined) {
      return reject(
        'stop_loss_required',
        `the ${trade.market} entry in ${tradeSymbol(trade)} has no stop-loss`,
      );
    }
  }
  return null;
}

/**
 * Prices every entry from fresh quotes or marks (never from the proposal's numbers), cross-checks a
 * declared notional, and holds each priced exposure to the position size limit.
 */
export async function priceEntries(
  client: Queryable,
  request: GateRequest,
): Promise<Rejection | readonly AdmittedEntry[]> {
  const entries = request.input.steps.flatMap((step, seq) =>
    step.kind === 'execute_trade' ? [{ seq, trade: step.trade }] : [],
  );
  if (entries.length === 0) return [];
  const { pricing, tradeLimits } = request.policies;
  const keys = entries.flatMap((e) => priceKeysOf(e.trade));
  const marks = await selectLatestMarks(client, keys, request.asOf);
  const prices = freshPrices([...(request.quotes ?? []), ...marks], pricing, request.asOf);
  const admitted: AdmittedEntry[] = [];
  for (const { seq, trade } of entries) {
    const priced = priceEntry(trade, prices, pricing);
    if (!('notionalUsd' in priced)) return priced;
    const mismatch = request.atApproval ? null : declaredMismatch(trade, priced, pricing);
    if (mismatch) return reject('declared_notional_mismatch', mismatch);
    if (new Decimal(priced.notionalUsd).gt(tradeLimits.maxPositionSizeUsd)) {
      return reject(
        'position_size',
        `position size ${priced.notionalUsd} USD (${priced.quantity} ${priced.instrument} at ` +
          `${priced.price}, ${priced.priceSource}) exceeds the maximum ${tradeLimits.maxPositionSizeUsd} USD`,
      );
    }
    admitted.push({ seq, entry: priced });
  }
  return admitted;
}

export function checkHalts(
  input: ProposalInput,
  halts: HaltsState,
  policies: PolicySnapshot,
): Rejection | null {
  for (const step of input.steps) {
    if (step.kind !== 'execute_trade' && step.kind !== 'close_position') continue;
    const closing = step.kind === 'close_position';
    if (closing && policies.riskControls.allowClosingWhenHalted) continue;
    if (halts.global) return reject('kill_switch', `trading is halted: ${halts.global.reason}`);
    const marketHalt = halts.markets[step.market];
    if (marketHalt) return reject('market_halted', `${step.market} is halted: ${marketHalt.reason}`);
  }
  if (trades(input).length > 0 && halts.lossLatch) {
    return reject(
      'daily_loss_latched',
      `reduce-only: the daily loss latch tripped on ${halts.lossLatch.tradingDay} ` +
        `(realised ${halts.lossLatch.realisedPnlUsd} USD) and awaits an operator reset`,
    );
  }
  return null;
}

/** Trips the latch (and rejects) when today's realised loss reached the limit. */
async function checkDailyLoss(client: Queryable, request: GateRequest): Promise<Rejection | null> {
  if (trades(request.input).length === 0) return null;
  const { timeZone } = request.policies.calendar;
  const realised = await realisedPnlOnDay(client, timeZone, request.tradingDay);
  const limit = new Decimal(request.policies.tradeLimits.maxDailyLossUsd);
  if (new Decimal(realised).gt(limit.neg())) return null;
  const tripped = await tripLossLatch(client, {
    trippedAt: request.asOf.toISOString(),
    tradingDay: request.tradingDay,
    realisedPnlUsd: realised,
  });
  if (tripped) {
    await appendEvent(client, {
      type: 'loss_latch_changed',
      aggregateType: 'halt',
      aggregateId: 'loss_latch',
      payload: { tripped: true, realisedPnlUsd: realised, by: 'risk-gates' },
    });
  }
  return reject(
    'daily_loss_limit',
    `realised P&L today is ${realised} USD, at or beyond the daily loss limit of ${limit.toString()} USD; reduce-only until reset`,
  );
}

async function checkClosable(client: Queryable, input: ProposalInput): Promise<Rejection | null> {
  for (const step of input.steps) {
    if (step.kind !== 'close_position') continue;
    if (!(await hasOpenPosition(client, step.market, step.symbol))) {
      return reject('no_open_position', `no open ${step.market} position in ${step.symbol}`);
    }
  }
  return null;
}

export function slotsNeeded(input: ProposalInput): Record<CounterName, number> {
  const count = (kinds: readonly string[]) => input.steps.filter((s) => kinds.includes(s.kind)).length;
  return {
    trades: count(['execute_trade']),
    analyses: count(['analyze', 'calculate_risk']),
    roundtables: count(['roundtable']),
  };
}

const quotaRejections: Record<CounterName, RejectionReason> = {
  trades: 'daily_trade_limit',
  analyses: 'analysis_quota',
  roundtables: 'roundtable_quota',
};

function limitsFor(policies: PolicySnapshot): Record<CounterName, number> {
  return {
    trades: policies.tradeLimits.maxDailyTrades,
    analyses: policies.quotas.maxDailyAnalyses,
    roundtables: policies.quotas.maxDailyRoundtables,
  };
}

type Claim = { passed: true; slots: HeldSlots } | ({ passed: false } & Rejection);

/** Claims every counter the proposal needs, or none: a refused claim gives back the earlier ones. */
async function claimAll(client: Queryable, request: GateRequest): Promise<Claim> {
  const needed = slotsNeeded(request.input);
  const limits = limitsFor(request.policies);
  const held: Record<CounterName, number> = { trades: 0, analyses: 0, roundtables: 0 };
  for (const name of ['trades', 'analyses', 'roundtables'] as const) {
    if (needed[name] === 0) continue;
    const claim = await claimSlots(client, {
      name,
      tradingDay: request.tradingDay,
      count: needed[name],
      limit: limits[name],
    });
    if (!claim.granted) {
      await releaseHeld(client, { ...held, day: request.tradingDay });
      return {
        passed: false,
        ...reject(
          quotaRejections[name],
          `daily ${name} limit of ${limits[name]} reached for ${request.tradingDay}`,
        ),
      };
    }
    held[name] = needed[name];
  }
  return { passed: true, slots: { ...held, day: request.tradingDay } };
}

export async function releaseHeld(client: Queryable, slots: HeldSlots): Promise<void> {
  await releaseSlots(client, { name: 'trades', tradingDay: slots.day, count: slots.trades });
  await releaseSlots(client, { name: 'analyses', tradingDay: slots.day, count: slots.analyses });
  await releaseSlots(client, { name: 'roundtables', tradingDay: slots.day, count: slots.roundtables });
}

/**
 * Open positions and total exposure, counting approved entries that have not settled yet; an open
 * position's exposure is measured as its entry was (`openPositionExposure`).
 */
async function checkPortfolio(
  client: Queryable,
  request: GateRequest,
  admitted: readonly AdmittedEntry[],
): Promise<Rejection | null> {
  const entries = trades(request.input);
  if (entries.length === 0) return null;
  const limits = request.policies.tradeLimits;
  const { open, inFlight, totalUsd } = await selectCurrentExposure(
    client,
    request.policies.pricing,
    request.asOf,
  );
  const openKeys = new Set(open.map((p) => `${p.market}:${p.symbol}`));
  const newPositions = new Set(
    entries.map((t) => `${t.market}:${tradeSymbol(t)}`).filter((k) => !openKeys.has(k)),
  );
  const positions = open.length + inFlight.count + newPositions.size;
  if (newPositions.size > 0 && positions > limits.maxOpenPositions) {
    return reject(
      'max_open_positions',
      `${open.length} open and ${inFlight.count} pending positions; ${newPositions.size} more would exceed the maximum ${limits.maxOpenPositions}`,
    );
  }
  const current = new Decimal(totalUsd);
  const total = admitted.reduce((sum, a) => sum.plus(a.entry.notionalUsd), current);
  if (total.gt(limits.maxTotalExposureUsd)) {
    return reject(
      'total_exposure',
      `total exposure would be ${total.toString()} USD (now ${current.toString()}), above the maximum ${limits.maxTotalExposureUsd} USD`,
    );
  }
  return null;
}

export async function runRiskGates(client: Queryable, request: GateRequest): Promise<GateResult> {
  const content = checkTradeContent(request.input, request.policies);
  if (content) return { passed: false, ...content };
  const halted = checkHalts(request.input, request.policies.halts, request.policies);
  if (halted) return { passed: false, ...halted };
  // The loss latch trips on the realised loss whatever the new entries' prices.
  const stateChecks = [checkDailyLoss, (c: Queryable, r: GateRequest) => checkClosable(c, r.input)];
  for (const check of stateChecks) {
    const rejection = await check(client, request);
    if (rejection) return { passed: false, ...rejection };
  }
  const admitted = await priceEntries(client, request);
  if ('reasonCode' in admitted) return { passed: false, ...admitted };
  const claimed = await claimAll(client, request);
  if (!claimed.passed) return claimed;
  const portfolio = await checkPortfolio(client, request, admitted);
  if (portfolio) {
    // A later gate rejected: the slots this proposal just took go back at once.
    await releaseHeld(client, claimed.slots);
    return { passed: false, ...portfolio };
  }
  return { passed: true, slots: claimed.slots, entries: admitted };
}
