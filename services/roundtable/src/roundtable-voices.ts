/**
 * The roundtable's rule-based stances: each agent's view from its role and the figures. Pure; the
 * rule-based voice (voices/rules-voice.ts) speaks, votes and remembers from them.
 * @module
 */
import Decimal from 'decimal.js';
import type { Agent } from '@atc/contracts';
import type { MarketFigures, OperationsStudy, PerformanceFigures, RiskFigures } from './agent-figures';
import { risksNearLimit } from './calculate-risk.executor';

export type Stance = 'support' | 'caution' | 'neutral';
export interface Turn {
  readonly agent: Agent;
  readonly stance: Stance;
  readonly line: string;
}

export interface RoomFigures {
  readonly risk: RiskFigures;
  readonly performance: PerformanceFigures;
  readonly market: MarketFigures;
  readonly operations: OperationsStudy;
}

/** growth judges a win rate only over at least this many trades; below MIN it cautions, above GOOD it supports. */
export const MIN_TRADES_TO_JUDGE = 5;
export const MIN_WIN_RATE = '0.30';
export const GOOD_WIN_RATE = '0.50';
/** A move (either way) that intel calls momentum, and a range scout calls too wide to execute cleanly. */
export const NOTABLE_MOVE = '0.02';
export const WIDE_RANGE = '0.08';

type Voice = (room: RoomFigures, topic: string) => Omit<Turn, 'agent'>;

const sage: Voice = ({ risk }) => {
  const near = risksNearLimit(risk);
  if (risk.halted) return { stance: 'caution', line: 'Trading is halted; nothing new until it is lifted.' };
  if (near.length > 0)
    return {
      stance: 'caution',
      line: `We are near our limits (${near.join(', ')}); exposure ${risk.exposureUsd} USD, loss today ${risk.realisedLossToday} USD.`,
    };
  return {
    stance: 'support',
    line: `Exposure is ${risk.exposureUsd} of ${risk.maxTotalExposureUsd} USD and today's loss ${risk.realisedLossToday} of ${risk.maxDailyLossUsd}; we have room, with stops.`,
  };
};

const scout: Voice = ({ market }) => {
  const widest = [...market.instruments].sort((a, b) => new Decimal(b.range).comparedTo(a.range))[0];
  if (!widest) return { stance: 'neutral', line: 'No recent prices to judge execution on.' };
  if (new Decimal(widest.range).gte(WIDE_RANGE))
    return {
      stance: 'caution',
      line: `${widest.instrument} ranged ${widest.range}; fills will slip, size down or wait.`,
    };
  return {
    stance: 'support',
    line: `Ranges are tight (widest ${widest.instrument} at ${widest.range}); execution is clean.`,
  };
};

const growth: Voice = ({ performance: p }) => {
  if (p.trades < MIN_TRADES_TO_JUDGE || p.winRate === null)
    return {
      stance: 'neutral',
      line: `Only ${p.trades} closed trades in ${p.windowHours} h; too few to judge.`,
    };
  if (new Decimal(p.winRate).lt(MIN_WIN_RATE))
    return {
      stance: 'caution',
      line: `Win rate ${p.winRate} over ${p.trades} trades, P&L ${p.realisedPnl} USD; the edge is not there.`,
    };
  if (new Decimal(p.winRate).gte(GOOD_WIN_RATE))
    return {
      stance: 'support',
      line: `Win rate ${p.winRate} over ${p.trades} trades, P&L ${p.realisedPnl} USD; keep going.`,
    };
  return { stance: 'neutral', line: `Win rate ${p.winRate} over ${p.trades} trades; middling.` };
};

const intel: Voice = ({ market }) => {
  const strongest = [...market.instruments].sort((a, b) =>
    new Decimal(b.move).abs().comparedTo(new Decimal(a.move).abs()),
  )[0];
  if (!strongest) return { stance: 'neutral', line: 'The feeds are quiet; nothing sampled recently.' };
  if (new Decimal(strongest.move).abs().gte(NOTABLE_MOVE))
    return {
      stance: 'support',
      line: `${strongest.instrument} moved ${strongest.move} in ${market.windowHours} h; there is something to trade.`,
    };
  return {
    stance: 'neutral',
    line: `Largest move is ${strongest.instrument} at ${strongest.move}; no clear signal.`,
  };
};

const observer: Voice = ({ operations: o }) => {
  const problems = o.needsReconciliation + o.failedSteps + o.heartbeatFailures;
  if (problems > 0)
    return {
      stance: 'caution',
      line: `${o.needsReconciliation} steps await reconciliation, ${o.failedSteps} failed and ${o.heartbeatFailures} heartbeats failed; fix the pipes first.`,
    };
  return {
    stance: 'support',
    line: `Operations are clean: ${o.heartbeatRuns} heartbeats, ${o.queuedSteps} steps queued, nothing failed.`,
  };
};

const VOICES: Readonly<Record<Exclude<Agent, 'atlas'>, Voice>> = { sage, scout, growth, intel, observer };

/** atlas coordinates: sage's caution is a veto; otherwise the majority of the others' stances. */
function atlas(others: readonly Turn[], topic: string): Omit<Turn, 'agent'> {
  const supports = others.filter((t) => t.stance === 'support').length;
  const cautions = others.filter((t) => t.stance === 'caution').length;
  if (others.some((t) => t.agent === 'sage' && t.stance === 'caution'))
    return {
      stance: 'caution',
      line: `On "${topic}": sage's caution stands; we hold until risk is back in bounds.`,
    };
  if (supports > cautions)
    return {
      stance: 'support',
      line: `On "${topic}": ${supports} for, ${cautions} against; we proceed, stops in place.`,
    };
  if (cautions > supports)
    return { stance: 'caution', line: `On "${topic}": ${cautions} cautions to ${supports}; we hold.` };
  return { stance: 'neutral', line: `On "${topic}": no clear view yet; we revisit next session.` };
}

/** What `agent` thinks of the room: atlas from what the five others think. */
export function stanceOf(agent: Agent, room: RoomFigures, topic: string): Omit<Turn, 'agent'> {
  if (agent !== 'atlas') return VOICES[agent](room, topic);
  const others = (Object.keys(VOICES) as Exclude<Agent, 'atlas'>[]).map((a) => ({
    agent: a,
    ...VOICES[a](room, topic),
  }));
  return atlas(others, topic);
}
