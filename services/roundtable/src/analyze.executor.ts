import type { Agent, Market } from '@atc/contracts';
import type { AnalyzeStep } from '@atc/contracts';
import type { z } from 'zod';
import {
  marketFigures,
  operationsFigures,
  performanceFigures,
  riskFigures,
  type MarketFigures,
  type OperationsStudy,
  type PerformanceFigures,
  type RiskFigures,
} from './agent-figures';
import type { AgentStepInput, AgentStepWork } from './agent-step-work';

export type AnalyzePayload = z.infer<typeof AnalyzeStep>;
export type Study = MarketFigures | PerformanceFigures | OperationsStudy | RiskFigures;
type StudyKind = Study['study'];

/** The study each trigger's `analysisType` asks for (seed-data.ts); unknown types fall back to the agent's role. */
const STUDY_OF_ANALYSIS: Readonly<Record<string, StudyKind>> = {
  deep_dive: 'market',
  opportunity_scan: 'market',
  prepare_execution_plan: 'market',
  trade_performance: 'performance',
  failure_analysis: 'performance',
  entry_timing: 'performance',
  system_operations: 'operations',
  exposure_warning: 'risk',
};
const STUDY_OF_AGENT: Readonly<Record<Agent, StudyKind>> = {
  atlas: 'market',
  sage: 'risk',
  scout: 'market',
  growth: 'performance',
  intel: 'market',
  observer: 'operations',
};

export function studyFor(payload: AnalyzePayload, agent: Agent): StudyKind {
  const analysisType = payload.details?.analysisType;
  return (
    (typeof analysisType === 'string' ? STUDY_OF_ANALYSIS[analysisType] : undefined) ?? STUDY_OF_AGENT[agent]
  );
}

export async function readStudy(
  input: Pick<AgentStepInput<unknown>, 'client' | 'now'>,
  kind: StudyKind,
  market: Market | null,
): Promise<Study> {
  switch (kind) {
    case 'market':
      return marketFigures(input.client, market, input.now);
    case 'performance':
      return performanceFigures(input.client, market, input.now);
    case 'operations':
      return operationsFigures(input.client, input.now);
    case 'risk':
      return riskFigures(input.client, input.now);
  }
}

/** One sentence with the study's figures, for the memory's content. */
export function describeStudy(study: Study): string {
  switch (study.study) {
    case 'market': {
      if (study.instruments.length === 0)
        return `no ${study.market ?? 'market'} samples in the last ${study.windowHours} h`;
      const moves = study.instruments
        .slice(0, 5)
        .map((i) => `${i.instrument} ${i.move} move, ${i.range} range over ${i.samples} samples`);
      return `${study.market ?? 'all markets'}, last ${study.windowHours} h: ${moves.join('; ')}`;
    }
    case 'performance':
      return study.trades === 0
        ? `no closed trades in the last ${study.windowHours} h`
        : `${study.trades} trades in ${study.windowHours} h: win rate ${study.winRate}, realised P&L ${study.realisedPnl} USD, ` +
            `average winner ${study.averageWinner ?? 'n/a'}, average loser ${study.averageLoser ?? 'n/a'}`;
    case 'operations':
      return (
        `${study.heartbeatRuns} heartbeat runs (${study.heartbeatFailures} failed), ${study.queuedSteps} steps queued, ` +
        `${study.runningSteps} running, ${study.needsReconciliation} awaiting reconciliation, ${study.failedSteps} failed`
      );
    case 'risk':
      return (
        `exposure ${study.exposureUsd} of ${study.maxTotalExposureUsd} USD (${study.exposureUtilisation}), ` +
        `${study.openPositions} of ${study.maxOpenPositions} positions open, realised loss today ` +
        `${study.realisedLossToday} of ${study.maxDailyLossUsd} USD (${study.dailyLossUtilisation})`
      );
  }
}

/** `analyze`: the proposing agent studies the topic from the database and keeps one insight. */
export async function analyze(input: AgentStepInput<AnalyzePayload>): Promise<AgentStepWork> {
  const kind = studyFor(input.payload, input.proposer);
  const study = await readStudy(input, kind, input.payload.market ?? null);
  return {
    memory: {
      agent: input.proposer,
      type: 'insight',
      content: `${input.payload.topic}: ${describeStudy(study)}`,
      confidence: '0.60',
      tags: ['analysis', study.study, ...(input.payload.market ? [input.payload.market] : [])],
      metadata: { stepId: input.stepId, proposalId: input.proposalId, topic: input.payload.topic },
    },
    result: { topic: input.payload.topic, figures: study },
  };
}
