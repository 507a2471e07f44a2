/**
 * Which voice the roundtable speaks with: the LLM voice when `ANTHROPIC_API_KEY` is set (the same
 * ANTHROPIC_* keys as the futures LLM client, venues.config.ts: base URL, model, timeout; retries and
 * breaker settings from VENUE_MAX_RETRIES and BREAKER_*), otherwise the rule-based voice — today's
 * offline behaviour of `atc up`. The rule-based voice is injected: it is also the LLM voice's fallback.
 * @module
 */
import type { Clock } from '@atc/contracts';
import {
  createVenueBreaker,
  loadConfig,
  type Environment,
  type Logger,
  type Pool,
  type Registry,
} from '@atc/platform';
import { AnthropicClient, isAnthropicBusinessRejection, venuesEnvironment } from '@atc/venues';
import { z } from 'zod';
import type { AgentVoice } from './agent-voice';
import { LlmBudgetLedger } from './llm-budget';
import { llmMetrics } from './llm-metrics';
import { LlmVoice } from './llm-voice';

/** The keys the LLM voice reads (defined once, in @atc/venues). */
export const llmVoiceEnvironment = {
  ANTHROPIC_BASE_URL: venuesEnvironment.ANTHROPIC_BASE_URL,
  ANTHROPIC_API_KEY: venuesEnvironment.ANTHROPIC_API_KEY,
  ANTHROPIC_MODEL: venuesEnvironment.ANTHROPIC_MODEL,
  ANTHROPIC_TIMEOUT_MS: venuesEnvironment.ANTHROPIC_TIMEOUT_MS,
  VENUE_MAX_RETRIES: venuesEnvironment.VENUE_MAX_RETRIES,
  BREAKER_FAILURE_THRESHOLD: venuesEnvironment.BREAKER_FAILURE_THRESHOLD,
  BREAKER_RESET_SECONDS: venuesEnvironment.BREAKER_RESET_SECONDS,
} as const;

export interface CreateAgentVoiceDeps {
  /** The process environment (or a test's); only the keys of `llmVoiceEnvironment` are read. */
  readonly config?: Environment;
  readonly pool: Pool;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The rule-based voice: the voice without a key, and the LLM voice's fallback. */
  readonly rules: AgentVoice;
  /** For tests: the SDK's fetch. */
  readonly fetch?: typeof fetch;
}

/** A voice; `close()` stops the LLM voice's breaker timer (a no-op for the rule-based voice). */
export type ClosableVoice = AgentVoice & { close(): void };

export function createAgentVoice(deps: CreateAgentVoiceDeps): ClosableVoice {
  const config = loadConfig(z.object(llmVoiceEnvironment), deps.config ?? process.env);
  if (!config.ANTHROPIC_API_KEY) {
    deps.logger.info('roundtable voices: rule-based (ANTHROPIC_API_KEY is not set)');
    return { ...delegate(deps.rules), close: () => undefined };
  }
  const breaker = createVenueBreaker({
    venue: 'anthropic',
    failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
    resetTimeoutMs: config.BREAKER_RESET_SECONDS * 1000,
    isBusinessRejection: isAnthropicBusinessRejection,
    registry: deps.registry,
    logger: deps.logger,
  });
  const client = new AnthropicClient({
    apiKey: config.ANTHROPIC_API_KEY,
    baseUrl: config.ANTHROPIC_BASE_URL,
    model: config.ANTHROPIC_MODEL,
    timeoutMs: config.ANTHROPIC_TIMEOUT_MS,
    maxRetries: config.VENUE_MAX_RETRIES,
    breaker,
    registry: deps.registry,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const metrics = llmMetrics(deps.registry);
  const voice = new LlmVoice({
    client,
    fallback: deps.rules,
    budget: new LlmBudgetLedger({ pool: deps.pool, clock: deps.clock, metrics }),
    pool: deps.pool,
    metrics,
    logger: deps.logger.child({ component: 'llm-voice' }),
  });
  deps.logger.info(
    { model: config.ANTHROPIC_MODEL, baseUrl: config.ANTHROPIC_BASE_URL },
    'roundtable voices: LLM (falling back to rule-based voices)',
  );
  return { ...delegate(voice), close: () => breaker.shutdown() };
}

function delegate(voice: AgentVoice): AgentVoice {
  return {
    speak: (request) => voice.speak(request),
    vote: (request) => voice.vote(request),
    distill: (request) => voice.distill(request),
  };
}
