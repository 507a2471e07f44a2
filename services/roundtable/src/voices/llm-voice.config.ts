/**
 * The keys the LLM voices read: the futures LLM client's ANTHROPIC_* keys and the venue clients'
 * retry and breaker keys, defined once in @atc/venues. Part of the roundtable worker's environment.
 * @module
 */
import { venuesEnvironment } from '@atc/venues';

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
