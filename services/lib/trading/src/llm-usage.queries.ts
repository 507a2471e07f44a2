/**
 * LLM usage per trading day, agent and model (`atc.llm_usage`, migration 0018), and the budget
 * alerts already raised (`atc.llm_budget_alerts`). Amounts are decimal strings.
 * @module
 */
import type { Queryable } from '@atc/platform';
import type { Agent, LlmBudgetThreshold } from '@atc/contracts';
import { runPrepared } from './prepared';

export interface LlmUsageTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, a decimal string. */
  readonly costUsd: string;
}

export interface LlmUsageIncrement {
  /** YYYY-MM-DD in the calendar policy's zone. */
  readonly day: string;
  readonly agent: Agent;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: string;
}

const totals = `coalesce(sum(calls), 0)::int as calls,
  coalesce(sum(input_tokens), 0)::int as "inputTokens",
  coalesce(sum(output_tokens), 0)::int as "outputTokens",
  coalesce(sum(cost_usd), 0)::text as "costUsd"`;

/** An agent's usage on one day, all models together. */
export async function selectLlmUsage(db: Queryable, day: string, agent: Agent): Promise<LlmUsageTotals> {
  const [row] = await runPrepared<LlmUsageTotals>(
    db,
    'select_llm_usage',
    `select ${totals} from atc.llm_usage where day = $1::date and agent = $2::text`,
    [day, agent],
  );
  return row!;
}

/**
 * Adds one call's measured usage (atomic: concurrent calls add up, none is lost) and returns the
 * agent's totals for the day after it, in the caller's transaction.
 */
export async function addLlmUsage(db: Queryable, increment: LlmUsageIncrement): Promise<LlmUsageTotals> {
  await runPrepared(
    db,
    'add_llm_usage',
    `insert into atc.llm_usage (day, agent, model, calls, input_tokens, output_tokens, cost_usd)
     values ($1::date, $2::text, $3::text, 1, $4::bigint, $5::bigint, $6::numeric)
     on conflict (day, agent, model) do update
       set calls = atc.llm_usage.calls + 1,
           input_tokens = atc.llm_usage.input_tokens + excluded.input_tokens,
           output_tokens = atc.llm_usage.output_tokens + excluded.output_tokens,
           cost_usd = atc.llm_usage.cost_usd + excluded.cost_usd,
           updated_at = now()`,
    [
      increment.day,
      increment.agent,
      increment.model,
      increment.inputTokens,
      increment.outputTokens,
      increment.costUsd,
    ],
  );
  return selectLlmUsage(db, increment.day, increment.agent);
}

/** True for the one caller that records this alert for the agent and day; false once it exists. */
export async function claimLlmBudgetAlert(
  db: Queryable,
  alert: { day: string; agent: Agent; threshold: LlmBudgetThreshold },
): Promise<boolean> {
  const rows = await runPrepared<{ day: string }>(
    db,
    'claim_llm_budget_alert',
    `insert into atc.llm_budget_alerts (day, agent, threshold) values ($1::date, $2::text, $3::text)
     on conflict do nothing returning day::text as day`,
    [alert.day, alert.agent, alert.threshold],
  );
  return rows.length === 1;
}
