/**
 * What a conversation runs with: the engine (turns) and the final part (votes, memories, drift,
 * action items) both take it.
 * @module
 */
import type { Clock } from '@atc/contracts';
import type { Logger, Pool } from '@atc/platform';
import type { AgentVoice } from '../voices/agent-voice';
import type { ConversationMetrics } from './conversation.metrics';

export interface ConversationDeps {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly voice: AgentVoice;
  readonly logger: Logger;
  readonly metrics?: ConversationMetrics;
}
