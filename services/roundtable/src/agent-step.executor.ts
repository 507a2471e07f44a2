import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import { PermanentError, withTransaction } from '@atc/platform';
import {
  AnalyzeStep,
  CalculateRiskStep,
  RoundtableStep,
  type Agent,
  type Clock,
  type StepKind,
} from '@atc/contracts';
import { appendEvent, zodIssues } from '@atc/trading';
import { type ClaimedStep, type StepExecutionContext, type StepExecutor, type StepOutcome } from '@atc/queue';
import { insertMemory, lockStepWork, selectStepMemory, selectStepProposer } from './agent-work.queries';
import type { AgentStepWork } from './agent-step-work';
import { analyze } from './analyze.executor';
import { calculateRisk } from './calculate-risk.executor';
import { runConversationStep } from './conversation/conversation.engine';
import type { ConversationMetrics } from './conversation/conversation.metrics';
import type { AgentVoice } from './voices/agent-voice';

/** The step kinds this role executes: agent work with no market. */
export const AGENT_STEP_KINDS: readonly StepKind[] = ['analyze', 'calculate_risk', 'roundtable'];

export interface AgentStepExecutorOptions {
  readonly pool: Pool;
  /** Stamps the step's work (memories, transcripts); the role's main passes `systemClock`. */
  readonly clock: Clock;
  /** Who speaks in a roundtable: `createAgentVoice` in main (rule-based, or the LLM with its fallback). */
  readonly voice: AgentVoice;
  /** The conversation engine's counters (turns, finished, resumed); main registers them. */
  readonly conversationMetrics?: ConversationMetrics;
}

/** Who keeps the step's memory: sage keeps every risk calculation, the proposer everything else. */
const memoryOwner = (kind: StepKind, proposer: Agent): Agent =>
  kind === 'calculate_risk' ? 'sage' : proposer;

/** A payload that does not match its kind's schema can never succeed: failed, not retried. */
function parseWith<T>(schema: z.ZodType<T>, payload: unknown, kind: StepKind): T {
  const fields = typeof payload === 'object' && payload !== null ? payload : {};
  const parsed = schema.safeParse({ ...fields, kind });
  if (!parsed.success)
    throw new PermanentError(`invalid ${kind} payload: ${zodIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

async function decide(
  client: PoolClient,
  step: ClaimedStep,
  proposer: { agent: Agent; proposalId: string },
  now: Date,
): Promise<AgentStepWork> {
  const base = { client, stepId: step.id, proposer: proposer.agent, proposalId: proposer.proposalId, now };
  switch (step.kind) {
    case 'analyze':
      return analyze({ ...base, payload: parseWith(AnalyzeStep, step.payload, step.kind) });
    case 'calculate_risk':
      return calculateRisk({ ...base, payload: parseWith(CalculateRiskStep, step.payload, step.kind) });
    default:
      throw new PermanentError(`the roundtable worker does not execute ${step.kind} steps`);
  }
}

/**
 * A `roundtable` step is a conversation of many turns, each its own transaction, so it cannot run in
 * the one transaction below: the conversation engine keeps it idempotent by its stored turns and
 * its conversation's status (conversation/conversation.engine.ts).
 */
async function runRoundtableStep(
  options: AgentStepExecutorOptions,
  step: ClaimedStep,
  context: StepExecutionContext,
): Promise<StepOutcome> {
  const payload = parseWith(RoundtableStep, step.payload, step.kind);
  const proposer = await selectStepProposer(options.pool, step.id);
  if (!proposer) throw new PermanentError(`step ${step.id} has no proposal`);
  const result = await runConversationStep(
    {
      pool: options.pool,
      clock: options.clock,
      voice: options.voice,
      logger: context.logger,
      ...(options.conversationMetrics ? { metrics: options.conversationMetrics } : {}),
    },
    {
      stepId: step.id,
      proposalId: proposer.proposalId,
      proposer: proposer.agent,
      payload,
      signal: context.signal,
    },
  );
  return { type: 'succeeded', result };
}

/**
 * Runs one agent step (a roundtable aside) in one transaction, idempotent per step: the step's memory (keyed by the step
 * id) is written last, so finding it means an earlier attempt committed everything; its stored
 * result is returned and nothing is written again. The runtime settles the step afterwards.
 */
export function createAgentStepExecutor(options: AgentStepExecutorOptions): StepExecutor {
  return async (step, context): Promise<StepOutcome> => {
    if (step.kind === 'roundtable') return runRoundtableStep(options, step, context);
    return withTransaction(options.pool, async (client) => {
      await lockStepWork(client, step.id);
      const proposer = await selectStepProposer(client, step.id);
      if (!proposer) throw new PermanentError(`step ${step.id} has no proposal`);
      const owner = memoryOwner(step.kind, proposer.agent);
      const done = await selectStepMemory(client, owner, step.id);
      if (done) return { type: 'succeeded', result: done.metadata.result ?? null };
      const work = await decide(client, step, proposer, options.clock.now());
      const memoryId = await insertMemory(client, {
        ...work.memory,
        sourceTraceId: step.id,
        metadata: { ...work.memory.metadata, result: work.result },
      });
      if (!memoryId) throw new Error(`memory for step ${step.id} appeared concurrently`);
      for (const event of work.events ?? []) await appendEvent(client, event);
      await appendEvent(client, {
        type: 'memory_created',
        aggregateType: 'memory',
        aggregateId: memoryId,
        agent: owner,
        tags: work.memory.tags,
        payload: { memoryId, agent: owner, type: work.memory.type, sourceTraceId: step.id },
      });
      return { type: 'succeeded', result: work.result };
    });
  };
}
