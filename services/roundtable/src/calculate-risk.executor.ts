import Decimal from 'decimal.js';
import type { z } from 'zod';
import type { CalculateRiskStep } from '@atc/contracts';
import { riskFigures, type RiskFigures } from './agent-figures';
import { describeStudy } from './analyze.executor';
import type { AgentStepInput, AgentStepWork } from './agent-step-work';

export type CalculateRiskPayload = z.infer<typeof CalculateRiskStep>;

/** Utilisation at or above this share of a limit is called out as a breach risk. */
export const RISK_WARNING_UTILISATION = '0.80';

/** The limits close to (or past) their bound, named. */
export function risksNearLimit(figures: RiskFigures): string[] {
  const near: string[] = [];
  if (new Decimal(figures.exposureUtilisation).gte(RISK_WARNING_UTILISATION)) near.push('total_exposure');
  if (new Decimal(figures.dailyLossUtilisation).gte(RISK_WARNING_UTILISATION)) near.push('daily_loss');
  if (figures.maxOpenPositions > 0 && figures.openPositions >= figures.maxOpenPositions)
    near.push('open_positions');
  return near;
}

/** `calculate_risk`: exposure, positions and the day's loss against the policy; sage keeps the insight. */
export async function calculateRisk(input: AgentStepInput<CalculateRiskPayload>): Promise<AgentStepWork> {
  const figures = await riskFigures(input.client, input.now);
  const nearLimits = risksNearLimit(figures);
  const verdict = nearLimits.length === 0 ? 'within limits' : `near limits: ${nearLimits.join(', ')}`;
  return {
    memory: {
      agent: 'sage',
      type: 'insight',
      content: `${input.payload.scope}: ${describeStudy(figures)}; ${verdict}`,
      confidence: nearLimits.length === 0 ? '0.60' : '0.75',
      tags: ['risk', input.payload.scope, ...nearLimits],
      metadata: { stepId: input.stepId, proposalId: input.proposalId, requestedBy: input.proposer },
    },
    result: { scope: input.payload.scope, figures, nearLimits },
  };
}
