/**
 * The trade review's deterministic votes (README.md states them for people). Pure: the phase
 * gathers the state, these decide.
 * @module
 */
import Decimal from 'decimal.js';
import {
  tradeStopLoss,
  tradeSymbol,
  type Agent,
  type ProposalInput,
  type TradePayload,
} from '@atc/contracts';
import { FUTURES_POINT_VALUE, type PolicySnapshot } from '@atc/trading';

export type Vote = 'approve' | 'reject' | 'abstain';
export interface AgentVote {
  readonly agent: Agent;
  readonly vote: Vote;
  readonly reason: string;
}

export interface ReviewState {
  readonly policies: PolicySnapshot;
  /** Open positions at cost, per market and instrument. */
  readonly open: readonly { market: string; symbol: string; exposureUsd: string }[];
  /** Current last price per `market:instrument`, when the feed answered. */
  readonly quotes: ReadonlyMap<string, string>;
  /** Recent outcomes of each market, newest first. */
  readonly recentOutcomes: ReadonlyMap<string, readonly ('win' | 'loss' | 'breakeven')[]>;
}

/** A market may hold at most this share of the total exposure limit after the trade. */
export const MAX_MARKET_SHARE = 0.5;
/** scout rejects when the price moved this far from the proposal's reference. */
export const MAX_PRICE_MOVE = 0.02;
/** growth needs this many recent outcomes to judge, and rejects below this win rate. */
export const MIN_OUTCOMES = 5;
export const MIN_WIN_RATE = 0.3;

type Trade = TradePayload;
const tradesOf = (input: ProposalInput): Trade[] =>
  input.steps.flatMap((s) => (s.kind === 'execute_trade' ? [s.trade] : []));
const isLong = (t: Trade) => t.side === 'buy' || t.side === 'buy_to_open';

/** USD lost if the stop is hit: futures by points × point value, others by the notional's move. */
export function lossAtStop(trade: Trade): Decimal | null {
  const stop = tradeStopLoss(trade);
  if (stop === undefined || trade.referencePrice === undefined) return null;
  const distance = new Decimal(trade.referencePrice).minus(stop).abs();
  if (trade.market === 'futures') {
    const pointValue = FUTURES_POINT_VALUE[trade.rootSymbol];
    return pointValue ? distance.times(pointValue).times(trade.contracts) : null;
  }
  // sage reviews the proposer's own numbers; the gates price the entry independently.
  if (trade.notionalUsd === undefined) return null;
  return distance.dividedBy(trade.referencePrice).times(trade.notionalUsd);
}

export function sageVote(input: ProposalInput, state: ReviewState): AgentVote {
  const reject = (reason: string): AgentVote => ({ agent: 'sage', vote: 'reject', reason });
  const { riskControls, tradeLimits } = state.policies;
  const riskBudget = new Decimal(tradeLimits.maxDailyLossUsd)
    .times(riskControls.maxSinglePositionRisk)
    .dividedBy(riskControls.maxPortfolioRisk);
  for (const trade of tradesOf(input)) {
    const symbol = tradeSymbol(trade);
    if (tradeStopLoss(trade) === undefined) return reject(`no stop-loss on ${symbol}`);
    const loss = lossAtStop(trade);
    if (loss === null || trade.notionalUsd === undefined)
      return reject(`no reference price or notional to measure the risk of ${symbol}`);
    const distance = new Decimal(trade.referencePrice!)
      .minus(tradeStopLoss(trade)!)
      .abs()
      .dividedBy(trade.referencePrice!);
    if (trade.market !== 'futures' && distance.gt(riskControls.defaultStopLossFraction)) {
      return reject(
        `stop ${distance.toFixed(4)} away, wider than the policy's ${riskControls.defaultStopLossFraction}`,
      );
    }
    if (loss.gt(riskBudget))
      return reject(`risks ${loss.toFixed(2)} USD to the stop, over the ${riskBudget.toFixed(2)} USD budget`);
    if (state.open.some((p) => p.market === trade.market && p.symbol === symbol)) {
      return reject(`already holds ${symbol}: concentrated exposure`);
    }
    const marketExposure = state.open
      .filter((p) => p.market === trade.market)
      .reduce((sum, p) => sum.plus(p.exposureUsd), new Decimal(trade.notionalUsd));
    const cap = new Decimal(tradeLimits.maxTotalExposureUsd).times(MAX_MARKET_SHARE);
    if (marketExposure.gt(cap))
      return reject(
        `${trade.market} exposure would be ${marketExposure.toFixed(2)} USD, over ${cap.toFixed(2)}`,
      );
  }
  return { agent: 'sage', vote: 'approve', reason: 'stop-loss set, risk within budget, exposure spread' };
}

export function scoutVote(input: ProposalInput, state: ReviewState): AgentVote {
  for (const trade of tradesOf(input)) {
    const current = state.quotes.get(`${trade.market}:${tradeSymbol(trade)}`);
    if (current === undefined || trade.referencePrice === undefined) {
      return { agent: 'scout', vote: 'abstain', reason: `no current price for ${tradeSymbol(trade)}` };
    }
    const move = new Decimal(current).minus(trade.referencePrice).abs().dividedBy(trade.referencePrice);
    if (move.gt(MAX_PRICE_MOVE)) {
      return {
        agent: 'scout',
        vote: 'reject',
        reason: `price moved ${move.times(100).toFixed(2)}% since the proposal (now ${current})`,
      };
    }
  }
  return { agent: 'scout', vote: 'approve', reason: 'prices are where the proposal says' };
}

export function growthVote(input: ProposalInput, state: ReviewState): AgentVote {
  const market = tradesOf(input)[0]?.market ?? 'crypto';
  const outcomes = state.recentOutcomes.get(market) ?? [];
  if (outcomes.length < MIN_OUTCOMES)
    return { agent: 'growth', vote: 'abstain', reason: `only ${outcomes.length} recent ${market} outcomes` };
  const winRate = outcomes.filter((o) => o === 'win').length / outcomes.length;
  if (winRate < MIN_WIN_RATE)
    return {
      agent: 'growth',
      vote: 'reject',
      reason: `${market} win rate ${winRate.toFixed(2)} over the last ${outcomes.length} trades`,
    };
  return { agent: 'growth', vote: 'approve', reason: `${market} win rate ${winRate.toFixed(2)}` };
}

export function observerVote(input: ProposalInput, state: ReviewState): AgentVote {
  if (input.confidence < state.policies.tradeLimits.minConfidence) {
    return {
      agent: 'observer',
      vote: 'reject',
      reason: `confidence ${input.confidence} below the policy minimum`,
    };
  }
  for (const trade of tradesOf(input)) {
    const stop = tradeStopLoss(trade);
    if (stop === undefined || trade.referencePrice === undefined) continue;
    const wrongSide = isLong(trade)
      ? new Decimal(stop).gte(trade.referencePrice)
      : new Decimal(stop).lte(trade.referencePrice);
    if (wrongSide)
      return {
        agent: 'observer',
        vote: 'reject',
        reason: `the stop ${stop} is on the wrong side of ${trade.referencePrice}`,
      };
  }
  return { agent: 'observer', vote: 'approve', reason: 'the proposal follows the rules' };
}

/** atlas's own view: a take-profit must promise at least as much as the stop risks. */
export function atlasVote(input: ProposalInput): AgentVote {
  for (const trade of tradesOf(input)) {
    const stop = tradeStopLoss(trade);
    if (trade.takeProfit === undefined || stop === undefined || trade.referencePrice === undefined) continue;
    const reward = new Decimal(trade.takeProfit).minus(trade.referencePrice).abs();
    const risk = new Decimal(trade.referencePrice).minus(stop).abs();
    if (risk.gt(0) && reward.dividedBy(risk).lt(1)) {
      return {
        agent: 'atlas',
        vote: 'reject',
        reason: `reward:risk ${reward.dividedBy(risk).toFixed(2)} is below 1`,
      };
    }
  }
  return { agent: 'atlas', vote: 'approve', reason: 'the risk-reward is acceptable' };
}

/**
 * atlas decides: sage's reject is a veto (capital first); otherwise the proposal passes unless the
 * rejections (atlas's own included) outnumber the approvals. Abstentions do not count.
 */
export function reviewTrade(
  input: ProposalInput,
  state: ReviewState,
): { votes: AgentVote[]; decision: 'approve' | 'reject'; reason: string } {
  const votes = [
    sageVote(input, state),
    scoutVote(input, state),
    growthVote(input, state),
    observerVote(input, state),
    atlasVote(input),
  ];
  const sage = votes[0]!;
  if (sage.vote === 'reject') return { votes, decision: 'reject', reason: `sage vetoed: ${sage.reason}` };
  const approvals = votes.filter((v) => v.vote === 'approve').length;
  const rejections = votes.filter((v) => v.vote === 'reject');
  if (rejections.length > approvals) {
    return {
      votes,
      decision: 'reject',
      reason: `rejected ${rejections.length} to ${approvals}: ${rejections.map((v) => `${v.agent}: ${v.reason}`).join('; ')}`,
    };
  }
  return { votes, decision: 'approve', reason: `approved ${approvals} to ${rejections.length}` };
}
