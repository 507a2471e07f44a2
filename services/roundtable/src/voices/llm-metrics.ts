/**
 * The LLM voices' metrics on the roundtable worker's registry (docs/operations/metrics.md): measured
 * tokens and cost by agent and model, each voice call's outcome, and how much of its daily budget each
 * agent has used.
 * @module
 */
import { Counter, Gauge, METRIC_PREFIX, type Registry } from '@atc/platform';

export type LlmCallOutcome = 'ok' | 'fallback_budget' | 'fallback_invalid' | 'fallback_unavailable';

export interface LlmMetrics {
  readonly tokens: Counter<'agent' | 'model' | 'direction'>;
  readonly cost: Counter<'agent' | 'model'>;
  readonly calls: Counter<'agent' | 'model' | 'outcome'>;
  readonly budgetUsed: Gauge<'agent'>;
}

const byRegistry = new WeakMap<Registry, LlmMetrics>();

/** One set per registry (a second call returns the first). */
export function llmMetrics(registry: Registry): LlmMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const registers = [registry];
  const metrics: LlmMetrics = {
    tokens: new Counter({
      name: `${METRIC_PREFIX}llm_tokens_total`,
      help: 'LLM tokens measured from the responses, by agent, model and direction (input, output).',
      labelNames: ['agent', 'model', 'direction'],
      registers,
    }),
    cost: new Counter({
      name: `${METRIC_PREFIX}llm_cost_usd_total`,
      help: 'LLM cost in USD computed from measured usage and the llm policy prices, by agent and model.',
      labelNames: ['agent', 'model'],
      registers,
    }),
    calls: new Counter({
      name: `${METRIC_PREFIX}llm_calls_total`,
      help: 'Voice calls (a turn, a vote, a distillation) of LLM voices by outcome: ok, fallback_budget, fallback_invalid, fallback_unavailable.',
      labelNames: ['agent', 'model', 'outcome'],
      registers,
    }),
    budgetUsed: new Gauge({
      name: `${METRIC_PREFIX}llm_budget_used_ratio`,
      help: "The larger share of an agent's daily LLM token or cost budget used today (1 = exhausted).",
      labelNames: ['agent'],
      registers,
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
