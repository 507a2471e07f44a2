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
import { AnthropicClient, isAnthropicBusinessRejection } from '@atc/venues';
import { z } from 'zod';
import type { AgentVoice } from './agent-voice';
import { LlmBudgetLedger } from './llm-budget';
import { llmMetrics } from './llm-metrics';
import { LlmVoice } from './llm-voice';
import { llmVoiceEnvironment } from './llm-voice.config';

export { llmVoiceEnvironment };

export interface CreateAgentVoiceDeps {
  /**
   * The role's parsed config (RoundtableConfig includes `llmVoiceEnvironment`), or an environment;
   * only the keys of `llmVoiceEnvironment` are read. Default: `process.env`.
   */
  readonly config?: Readonly<Record<string, unknown>>;
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
  const config = loadConfig(z.object(llmVoiceEnvironment), asEnvironment(deps.config ?? process.env));
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

/** A parsed config's values back as the strings an environment holds (numbers, URLs), unset left out. */
function asEnvironment(config: Readonly<Record<string, unknown>>): Environment {
  const env: Record<string, string> = {};
  for (const key of Object.keys(llmVoiceEnvironment)) {
    const value = config[key];
    if (typeof value === 'string' || typeof value === 'number') env[key] = String(value);
  }
  return env;
}

function delegate(voice: AgentVoice): AgentVoice {
  return {
    speak: (request) => voice.speak(request),
    vote: (request) => voice.vote(request),
    distill: (request) => voice.distill(request),
  };
}
