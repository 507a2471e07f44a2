import { Counter, type Registry } from '@atc/platform';

/**
 * The conversation engine's metrics; labels are bounded (format, voice, consensus), never ids. The
 * LLM voice's usage and cost metrics are its own.
 */
export interface ConversationMetrics {
  /** Turns stored, by format and the voice that spoke them (llm, rules). */
  readonly turns: Counter<'format' | 'voice'>;
  /** Conversations finished, by format and decision (proceed, hold, undecided). */
  readonly finished: Counter<'format' | 'consensus'>;
  /** Attempts that found their conversation already started: a resume after a crash or lost lease. */
  readonly resumed: Counter<'format'>;
}

export function createConversationMetrics(registry: Registry): ConversationMetrics {
  return {
    turns: new Counter({
      name: 'atc_roundtable_turns_total',
      help: 'Conversation turns stored, by format and voice.',
      labelNames: ['format', 'voice'],
      registers: [registry],
    }),
    finished: new Counter({
      name: 'atc_roundtable_conversations_total',
      help: 'Conversations finished, by format and decision.',
      labelNames: ['format', 'consensus'],
      registers: [registry],
    }),
    resumed: new Counter({
      name: 'atc_roundtable_resumed_total',
      help: 'Attempts that continued a conversation an earlier attempt had started.',
      labelNames: ['format'],
      registers: [registry],
    }),
  };
}
