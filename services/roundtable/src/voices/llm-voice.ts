/**
 * The LLM voice: turns as plain text, votes and memories as forced tool calls validated with the zod
 * schemas of agent-voice.ts, through @atc/venues' AnthropicClient (timeout, SDK retries on 429/529
 * honouring Retry-After, the venue breaker). It answers with its rule-based `fallback` when the
 * agent's budget is used up (`budget_exhausted`, no call), when the output is still invalid after one
 * retry (`invalid_output`), or when the API cannot be reached (`unavailable`: timeout, breaker open,
 * retries exhausted, a refused request).
 * @module
 */
import Decimal from 'decimal.js';
import { AgentsPolicy, type Agent } from '@atc/contracts';
import type { Logger, Pool } from '@atc/platform';
import { getPolicy } from '@atc/trading';
import type { AnthropicClient, MessageParams } from '@atc/venues';
import { z } from 'zod';
import {
  MemoryDraft,
  Vote,
  type AgentVoice,
  type CastVote,
  type DistillRequest,
  type Distilled,
  type FallbackReason,
  type SpokenTurn,
  type TurnRequest,
  type TurnStance,
  type VoiceProvenance,
  type VoiceUsage,
  type VoteRequest,
} from './agent-voice';
import type { BudgetGrant, LlmBudgetLedger } from './llm-budget';
import type { LlmCallOutcome, LlmMetrics } from './llm-metrics';
import {
  DISTILL_TOOL,
  distillPrompt,
  postProcessTurn,
  PROMPT_VERSIONS,
  turnPrompt,
  VOTE_TOOL,
  votePrompt,
  type Persona,
  type PromptParts,
} from './prompt-templates';

type Message = Awaited<ReturnType<AnthropicClient['createMessage']>>;

/** What the voice needs of the client (AnthropicClient, or a fake in tests). */
export interface LlmClient {
  readonly model: string;
  createMessage(params: MessageParams): Promise<Message>;
}

export interface LlmVoiceOptions {
  readonly client: LlmClient;
  readonly fallback: AgentVoice;
  readonly budget: LlmBudgetLedger;
  readonly pool: Pool;
  readonly metrics: LlmMetrics;
  readonly logger: Logger;
  /** Output tokens per turn (a 120-character line is about 30). */
  readonly turnMaxTokens?: number;
}

/** An answer's content without its provenance: what each kind of call parses from a message. */
type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const MemoriesInput = z.object({ memories: z.array(MemoryDraft).max(12) }).strict();

const FALLBACK_OUTCOME: Readonly<Record<FallbackReason, LlmCallOutcome>> = {
  budget_exhausted: 'fallback_budget',
  invalid_output: 'fallback_invalid',
  unavailable: 'fallback_unavailable',
};

/** Models released after Claude Opus 4.6 refuse `temperature`; older ones take the format's. */
export function acceptsTemperature(model: string): boolean {
  return (
    /^claude-(3|instant|2)/.test(model) || /^claude-(opus|sonnet|haiku)-4(-[0-5])?(-\d{8})?$/.test(model)
  );
}

/** A turn's stance from its words: agreement supports, a warning cautions. */
export function stanceOf(text: string): TurnStance {
  const lower = text.toLowerCase();
  if (/\b(risks?|stops?|caution|careful|but|however|wait|too|no)\b/.test(lower)) return 'caution';
  if (/\b(agree|yes|good|go|support|exactly|right)\b/.test(lower)) return 'support';
  return 'neutral';
}

function toolInputOf(message: Message, tool: string): unknown {
  const block = message.content.find((b) => b.type === 'tool_use' && b.name === tool);
  return block && block.type === 'tool_use' ? block.input : undefined;
}

function textOf(message: Message): string {
  return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

function addUsage(total: VoiceUsage | undefined, next: VoiceUsage): VoiceUsage {
  if (!total) return next;
  return {
    model: next.model,
    inputTokens: total.inputTokens + next.inputTokens,
    outputTokens: total.outputTokens + next.outputTokens,
    costUsd: new Decimal(total.costUsd).plus(next.costUsd).toFixed(),
  };
}

interface CallPlan<T> {
  readonly agent: Agent;
  readonly version: string;
  /** How many answers to try before `invalid_output` (1 for text, 2 for structured output). */
  readonly attempts: number;
  readonly params: (persona: Persona) => MessageParams;
  readonly parse: (message: Message) => Parsed<T>;
  readonly fallback: () => Promise<T & VoiceProvenance>;
}

export class LlmVoice implements AgentVoice {
  constructor(private readonly options: LlmVoiceOptions) {}

  speak(request: TurnRequest): Promise<SpokenTurn> {
    const model = this.options.client.model;
    return this.run<Omit<SpokenTurn, keyof VoiceProvenance>>({
      agent: request.agent,
      version: PROMPT_VERSIONS.turn,
      attempts: 1,
      params: (persona) => {
        const prompt = turnPrompt(persona, request);
        const params = { ...messages(prompt), max_tokens: this.options.turnMaxTokens ?? 200 };
        // The 1.x SDK's type has no `temperature` (newer models refuse it); older models still take it.
        return acceptsTemperature(model)
          ? ({ ...params, temperature: request.temperature } as MessageParams)
          : params;
      },
      parse: (message) => {
        const text = postProcessTurn(textOf(message));
        return { ok: true, value: { text, stance: stanceOf(text) } };
      },
      fallback: () => this.options.fallback.speak(request),
    });
  }

  vote(request: VoteRequest): Promise<CastVote> {
    return this.run<Vote>({
      agent: request.agent,
      version: PROMPT_VERSIONS.vote,
      attempts: 2,
      params: (persona) => ({
        ...messages(votePrompt(persona, request)),
        max_tokens: 300,
        tools: [VOTE_TOOL],
        tool_choice: { type: 'tool', name: VOTE_TOOL.name },
      }),
      parse: (message) => validated(Vote, toolInputOf(message, VOTE_TOOL.name)),
      fallback: () => this.options.fallback.vote(request),
    });
  }

  distill(request: DistillRequest): Promise<Distilled> {
    return this.run<{ memories: readonly MemoryDraft[] }>({
      agent: request.convener,
      version: PROMPT_VERSIONS.distill,
      attempts: 2,
      params: (persona) => ({
        ...messages(distillPrompt(persona, request)),
        max_tokens: 1_500,
        tools: [DISTILL_TOOL],
        tool_choice: { type: 'tool', name: DISTILL_TOOL.name },
      }),
      parse: (message) => validated(MemoriesInput, toolInputOf(message, DISTILL_TOOL.name)),
      fallback: () => this.options.fallback.distill(request),
    });
  }

  /** Budget check, the call (and one retry of an invalid answer), usage recorded after each response. */
  private async run<T extends object>(plan: CallPlan<T>): Promise<T & VoiceProvenance> {
    const { client, budget, logger } = this.options;
    let persona: Persona | undefined;
    let usage: VoiceUsage | undefined;
    for (let attempt = 1; attempt <= plan.attempts; attempt++) {
      const decision = await budget.check(plan.agent, client.model);
      if (!decision.allowed) {
        logger.info(
          { agent: plan.agent, why: decision.why },
          'LLM voice not called: rule-based voice answers',
        );
        return this.fallBack(plan, 'budget_exhausted', usage);
      }
      persona ??= await this.persona(plan.agent);
      const message = await this.call(decision.grant, plan.params(persona));
      if (!message) return this.fallBack(plan, 'unavailable', usage);
      usage = addUsage(
        usage,
        await budget.record(decision.grant, message.usage.input_tokens, message.usage.output_tokens),
      );
      const parsed = plan.parse(message);
      if (parsed.ok) {
        this.count(plan.agent, 'ok');
        return { ...parsed.value, voice: 'llm', promptVersion: plan.version, usage };
      }
      logger.warn(
        { agent: plan.agent, promptVersion: plan.version, attempt, problem: parsed.problem },
        'LLM answer failed validation',
      );
    }
    return this.fallBack(plan, 'invalid_output', usage);
  }

  private async call(grant: BudgetGrant, params: MessageParams): Promise<Message | undefined> {
    try {
      return await this.options.client.createMessage({
        ...params,
        metadata: { user_id: `agent-${grant.agent}` },
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error, agent: grant.agent },
        'LLM call failed: rule-based voice answers',
      );
      return undefined;
    }
  }

  private async fallBack<T extends object>(
    plan: CallPlan<T>,
    reason: FallbackReason,
    usage: VoiceUsage | undefined,
  ): Promise<T & VoiceProvenance> {
    this.count(plan.agent, FALLBACK_OUTCOME[reason]);
    const answer = await plan.fallback();
    return { ...answer, fallbackReason: reason, ...(usage ? { usage } : {}) };
  }

  private count(agent: Agent, outcome: LlmCallOutcome): void {
    this.options.metrics.calls.inc({ agent, model: this.options.client.model, outcome });
  }

  private async persona(agent: Agent): Promise<Persona> {
    const agents = AgentsPolicy.parse((await getPolicy(this.options.pool, 'agents')).value);
    return agents[agent];
  }
}

function messages(prompt: PromptParts): Pick<MessageParams, 'system' | 'messages'> {
  return { system: prompt.system, messages: [{ role: 'user', content: prompt.user }] };
}

function validated<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  if (input === undefined) return { ok: false, problem: 'no tool call in the answer' };
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
