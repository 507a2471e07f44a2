/**
 * Per-agent daily LLM budgets (the `llm` policy): before a call, whether the agent may spend; after
 * it, the measured usage added to `atc.llm_usage` with its decimal cost, and the budget alerts
 * (`llm_budget_warning` at the policy's fraction, `llm_budget_exhausted` at 100 %) raised once per
 * agent and trading day, in the same transaction. The day is the calendar policy's.
 * @module
 */
import Decimal from 'decimal.js';
import { LlmPolicy, type Agent, type Clock, type LlmBudgetThreshold } from '@atc/contracts';
import { withTransaction, type Pool, type Queryable } from '@atc/platform';
import {
  addLlmUsage,
  appendEvent,
  claimLlmBudgetAlert,
  getPolicy,
  selectCalendarTimeZone,
  selectLlmUsage,
  tradingDayOf,
  type LlmUsageTotals,
} from '@atc/trading';
import type { z } from 'zod';
import type { VoiceUsage } from './agent-voice';
import type { LlmMetrics } from './llm-metrics';

type LlmPolicyValue = z.infer<typeof LlmPolicy>;
type Budget = LlmPolicyValue['budgets'][Agent];

/** What a call may spend against: the day, the agent's budget and the model's prices. */
export interface BudgetGrant {
  readonly day: string;
  readonly agent: Agent;
  readonly model: string;
  readonly budget: Budget;
  readonly pricing: LlmPolicyValue['pricing'][string];
  readonly warnAtFraction: number;
}

export type BudgetDecision =
  { readonly allowed: true; readonly grant: BudgetGrant } | { readonly allowed: false; readonly why: string };

/** The larger of the token share and the cost share of the budget; a zero budget is used up. */
export function usedRatio(
  usage: Pick<LlmUsageTotals, 'inputTokens' | 'outputTokens' | 'costUsd'>,
  budget: Budget,
): Decimal {
  const tokens = new Decimal(usage.inputTokens + usage.outputTokens);
  const tokenShare = budget.dailyTokens === 0 ? new Decimal(1) : tokens.div(budget.dailyTokens);
  const limit = new Decimal(budget.dailyCostUsd);
  const costShare = limit.isZero() ? new Decimal(1) : new Decimal(usage.costUsd).div(limit);
  return Decimal.max(tokenShare, costShare);
}

/** USD for measured usage at per-million-token prices, exact (decimal.js, never a float). */
export function costOf(pricing: BudgetGrant['pricing'], inputTokens: number, outputTokens: number): Decimal {
  return new Decimal(inputTokens)
    .mul(pricing.inputUsdPerMTok)
    .plus(new Decimal(outputTokens).mul(pricing.outputUsdPerMTok))
    .div(1_000_000);
}

export interface LlmBudgetOptions {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly metrics: LlmMetrics;
}

export class LlmBudgetLedger {
  constructor(private readonly options: LlmBudgetOptions) {}

  /** May `agent` call `model` now? No policy, no price or a used-up budget all say no. */
  async check(agent: Agent, model: string): Promise<BudgetDecision> {
    const { pool, clock, metrics } = this.options;
    const policy = await readLlmPolicy(pool);
    if (!policy) return { allowed: false, why: 'the llm policy is not set' };
    const pricing = policy.pricing[model];
    if (!pricing) return { allowed: false, why: `the llm policy has no price for model ${model}` };
    const day = tradingDayOf(await selectCalendarTimeZone(pool), clock.now());
    const budget = policy.budgets[agent];
    const ratio = usedRatio(await selectLlmUsage(pool, day, agent), budget);
    metrics.budgetUsed.set({ agent }, ratio.toNumber());
    if (ratio.gte(1)) return { allowed: false, why: `daily budget used (${ratio.toFixed(4)})` };
    return {
      allowed: true,
      grant: { day, agent, model, budget, pricing, warnAtFraction: policy.warnAtFraction },
    };
  }

  /** Adds one response's measured usage; raises the alerts it crosses (once per day each). */
  async record(grant: BudgetGrant, inputTokens: number, outputTokens: number): Promise<VoiceUsage> {
    const { pool, metrics } = this.options;
    const cost = costOf(grant.pricing, inputTokens, outputTokens);
    const labels = { agent: grant.agent, model: grant.model };
    const ratio = await withTransaction(pool, async (tx) => {
      const totals = await addLlmUsage(tx, {
        day: grant.day,
        agent: grant.agent,
        model: grant.model,
        inputTokens,
        outputTokens,
        costUsd: cost.toFixed(),
      });
      const after = usedRatio(totals, grant.budget);
      if (after.gte(grant.warnAtFraction)) await raiseAlert(tx, grant, 'warning', totals, after);
      if (after.gte(1)) await raiseAlert(tx, grant, 'exhausted', totals, after);
      return after;
    });
    metrics.tokens.inc({ ...labels, direction: 'input' }, inputTokens);
    metrics.tokens.inc({ ...labels, direction: 'output' }, outputTokens);
    metrics.cost.inc(labels, cost.toNumber());
    metrics.budgetUsed.set({ agent: grant.agent }, ratio.toNumber());
    return { model: grant.model, inputTokens, outputTokens, costUsd: cost.toFixed() };
  }
}

async function readLlmPolicy(db: Queryable): Promise<LlmPolicyValue | undefined> {
  try {
    return LlmPolicy.parse((await getPolicy(db, 'llm')).value);
  } catch (error) {
    // Not set (NotFoundError) or invalid: no budget to spend against, so no call.
    if ((error as { code?: unknown }).code === 'not_found') return undefined;
    throw error;
  }
}

async function raiseAlert(
  tx: Queryable,
  grant: BudgetGrant,
  threshold: LlmBudgetThreshold,
  totals: LlmUsageTotals,
  ratio: Decimal,
): Promise<void> {
  if (!(await claimLlmBudgetAlert(tx, { day: grant.day, agent: grant.agent, threshold }))) return;
  await appendEvent(tx, {
    type: threshold === 'warning' ? 'llm_budget_warning' : 'llm_budget_exhausted',
    agent: grant.agent,
    aggregateType: 'agent',
    aggregateId: grant.agent,
    tags: ['llm', 'budget', threshold],
    payload: {
      agent: grant.agent,
      day: grant.day,
      model: grant.model,
      usedRatio: ratio.toFixed(4),
      tokens: totals.inputTokens + totals.outputTokens,
      dailyTokens: grant.budget.dailyTokens,
      costUsd: totals.costUsd,
      dailyCostUsd: grant.budget.dailyCostUsd,
    },
  });
}
