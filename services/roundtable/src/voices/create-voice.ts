/**
 * Chooses the roundtable's voice. For now the rule-based one; the LLM voice (issue 19, R1) replaces
 * this file and selects Anthropic when it is configured, falling back to `rules`. main.ts calls
 * exactly this function with these dependencies.
 * @module
 */
import type { Clock } from '@atc/contracts';
import type { Logger, Registry } from '@atc/platform';
import type { Pool } from 'pg';
import type { AgentVoice } from './agent-voice';

export interface CreateAgentVoiceOptions {
  /** The role's parsed configuration (the LLM voice reads its keys from it). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly pool: Pool;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The deterministic voice: the answer without an LLM, and the LLM voice's fallback. */
  readonly rules: AgentVoice;
}

export function createAgentVoice(options: CreateAgentVoiceOptions): AgentVoice {
  return options.rules;
}
