/**
 * The LLM voices' prompts, versioned: a template's version (`turn.v1`, `vote.v1`, `distill.v1`) is
 * stored with every turn, vote and memory it produced, so a changed prompt is a new version, never a
 * silent edit. The system prompt is the agent's role, directive and tone (the `agents` policy), its
 * quirks and signature phrases, and the memory modifiers (original-system.md §7, step 3).
 * @module
 */
import { Agent, MemoryType, type AgentDefinition } from '@atc/contracts';
import type { z } from 'zod';
import {
  MAX_TURN_CHARACTERS,
  VoteChoice,
  type ConversationLine,
  type DistillRequest,
  type TurnRequest,
  type VoteRequest,
} from './agent-voice';

export const PROMPT_VERSIONS = { turn: 'turn.v1', vote: 'vote.v1', distill: 'distill.v1' } as const;

export type Persona = z.infer<typeof AgentDefinition>;

/** Quirks and four signature phrases per agent (the original's voices.ts, paraphrased). */
export const AGENT_STYLE: Readonly<Record<Agent, { quirks: string; phrases: readonly string[] }>> = {
  atlas: {
    quirks: 'Always asks for the risk-reward; ends on a decision.',
    phrases: ["What's the risk-reward?", 'Where is the edge?', 'Decision:', 'Protect the downside first.'],
  },
  sage: {
    quirks: 'Cites probabilities and exposure; never lets a stop-loss go unmentioned.',
    phrases: ['Where is the stop?', 'What are the odds?', 'Exposure check:', 'Capital first.'],
  },
  scout: {
    quirks: 'Gives exact prices and timestamps; no opinions.',
    phrases: ['Filled at', 'Slippage was', 'As of', 'Spread is'],
  },
  growth: {
    quirks: 'Talks in win rates and samples; looks for the pattern.',
    phrases: ['The data says', 'Win rate is', 'Pattern:', 'What can we optimise?'],
  },
  intel: {
    quirks: 'Fast and proactive; filters noise out loud.',
    phrases: ['Signal:', 'Volume is', 'Noise, not signal.', 'Watching'],
  },
  observer: {
    quirks: 'Methodical and neutral; names the rule that applies.',
    phrases: ['Rule check:', 'Deviation noted:', 'Per policy,', 'Logged.'],
  },
};

function systemPrompt(agent: Agent, persona: Persona, modifiers: readonly string[]): string {
  const style = AGENT_STYLE[agent];
  const lines = [
    `You are ${agent.toUpperCase()}, ${persona.role} of an autonomous trading company.`,
    `Directive: ${persona.directive}`,
    ...(modifiers.length > 0
      ? [`Recent insights that influence your thinking: ${modifiers.join('; ')}`]
      : []),
    `Tone: ${persona.tone}.`,
    `Quirks: ${style.quirks}`,
    `Signature phrases: ${style.phrases.map((p) => `"${p}"`).join(', ')}.`,
    `Keep every reply under ${MAX_TURN_CHARACTERS} characters.`,
  ];
  return lines.join('\n');
}

/** `SPEAKER (turn n): msg`, oldest first. */
function transcriptLines(lines: readonly ConversationLine[]): string {
  return lines.map((line) => `${line.agent.toUpperCase()} (turn ${line.turn}): ${line.text}`).join('\n');
}

export interface PromptParts {
  readonly system: string;
  readonly user: string;
}

/** turn.v1: the last five turns (or the opening), the topic with recalled memories, the instruction. */
export function turnPrompt(persona: Persona, request: TurnRequest): PromptParts {
  const topic =
    request.recalled.length > 0
      ? `${request.topic} [Memory context: ${request.recalled.join(' | ')}]`
      : request.topic;
  const context =
    request.context.length === 0
      ? `Starting conversation about: ${topic}`
      : `Topic: ${topic}\n${transcriptLines(request.context.slice(-5))}`;
  return {
    system: systemPrompt(request.agent, persona, request.modifiers),
    user: `${context}\n\nSpeak now as ${request.agent.toUpperCase()} in the ${request.format} (turn ${request.turn}): concise, in role, at most ${MAX_TURN_CHARACTERS} characters.`,
  };
}

export const VOTE_TOOL = {
  name: 'cast_vote',
  description: 'Cast your vote on the topic of this conversation.',
  input_schema: {
    type: 'object' as const,
    properties: {
      vote: { type: 'string', enum: VoteChoice.options },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      reason: { type: 'string', maxLength: 200 },
    },
    required: ['vote', 'confidence', 'reason'],
    additionalProperties: false,
  },
};

/** vote.v1: the whole transcript, and a forced `cast_vote` call. */
export function votePrompt(persona: Persona, request: VoteRequest): PromptParts {
  return {
    system: systemPrompt(request.agent, persona, []),
    user: `The ${request.format} about "${request.topic}" has ended:\n${transcriptLines(request.transcript)}\n\nVote as ${request.agent.toUpperCase()}: support, oppose or abstain, with your confidence (0 to 1) and a one-sentence reason (at most 200 characters). Use the cast_vote tool.`,
  };
}

export const DISTILL_TOOL = {
  name: 'record_memories',
  description: 'Record what the participants should remember from this conversation.',
  input_schema: {
    type: 'object' as const,
    properties: {
      memories: {
        type: 'array',
        maxItems: 6,
        items: {
          type: 'object',
          properties: {
            agent: { type: 'string', enum: Agent.options },
            type: { type: 'string', enum: MemoryType.options },
            content: { type: 'string', maxLength: 300 },
            confidence: { type: 'number', minimum: 0, maximum: 1 },
            tags: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 8 },
          },
          required: ['agent', 'type', 'content', 'confidence', 'tags'],
          additionalProperties: false,
        },
      },
    },
    required: ['memories'],
    additionalProperties: false,
  },
};

/** distill.v1: the transcript, the participants, and a forced `record_memories` call. */
export function distillPrompt(persona: Persona, request: DistillRequest): PromptParts {
  return {
    system: `${systemPrompt(request.convener, persona, [])}\nYou are distilling a conversation into memories.`,
    user: `Analyse the following ${request.format} about "${request.topic}" between ${request.participants.join(', ')}:\n${transcriptLines(request.transcript)}\n\nRecord at most six memories (insight, pattern, strategy, preference or lesson), each owned by one participant, with a confidence from 0 to 1 and a few tags. Use the record_memories tool.`,
  };
}

/**
 * original-system.md §7 step 4: trim, strip wrapping quotes, cut to 117 characters and "..." when
 * longer than 120, "[No response generated]" when nothing is left.
 */
export function postProcessTurn(raw: string): string {
  let text = raw.trim();
  const quoted = /^(["'“‘])([\s\S]*)(["'”’])$/.exec(text);
  if (quoted) text = quoted[2]!.trim();
  if (text.length === 0) return '[No response generated]';
  return text.length > MAX_TURN_CHARACTERS ? `${text.slice(0, MAX_TURN_CHARACTERS - 3)}...` : text;
}
