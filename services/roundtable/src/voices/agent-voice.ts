/**
 * What a roundtable asks of an agent's voice: a turn, a vote, the memories a conversation leaves.
 * Two implementations: the rule-based voice (deterministic from the room's figures, no network; the
 * fallback) and the LLM voice (Anthropic through @atc/venues, with budgets, falling back to the
 * rule-based voice on failure, invalid output or an exhausted budget). The conversation engine only
 * sees this interface.
 * @module
 */
import { z } from 'zod';
import { Agent, MemoryType, type ConversationFormat } from '@atc/contracts';
import type { RoomFigures } from '../roundtable-voices';

/** A turn's text is at most this long (117 characters and "..." when cut). */
export const MAX_TURN_CHARACTERS = 120;

export interface ConversationLine {
  /** 1-based. */
  readonly turn: number;
  readonly agent: Agent;
  readonly text: string;
}

export type TurnStance = 'support' | 'caution' | 'neutral';
export type VoiceKind = 'llm' | 'rules';
/** Why an LLM voice answered with its rule-based fallback. */
export type FallbackReason = 'budget_exhausted' | 'invalid_output' | 'unavailable';

export interface VoiceUsage {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, a decimal string. */
  readonly costUsd: string;
}

/** Who said it and how: stored with every turn, vote and memory. */
export interface VoiceProvenance {
  readonly voice: VoiceKind;
  /** The prompt template's version (e.g. `turn.v1`), or the rule set's (`rules.v1`). */
  readonly promptVersion: string;
  readonly usage?: VoiceUsage;
  readonly fallbackReason?: FallbackReason;
}

export interface TurnRequest {
  readonly conversationId: string;
  /** 1-based number of the turn being spoken. */
  readonly turn: number;
  readonly agent: Agent;
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly temperature: number;
  /** The last five turns, oldest first; empty for the opening turn. */
  readonly context: readonly ConversationLine[];
  /** Voice evolution: prompt lines from the speaker's memories ("Exercise caution based on past lessons (confidence 0.72)"). */
  readonly modifiers: readonly string[];
  /** Memory influence: memory contents that enrich the topic (possibly none). */
  readonly recalled: readonly string[];
  readonly room: RoomFigures;
}

export interface SpokenTurn extends VoiceProvenance {
  /** At most MAX_TURN_CHARACTERS. */
  readonly text: string;
  readonly stance: TurnStance;
}

export const VoteChoice = z.enum(['support', 'oppose', 'abstain']);
export type VoteChoice = z.infer<typeof VoteChoice>;
/** A participant's vote at the end of a conversation: what an LLM must return, checked before use. */
export const Vote = z
  .object({
    vote: VoteChoice,
    confidence: z.number().min(0).max(1),
    reason: z.string().trim().min(1).max(200),
  })
  .strict();
export type Vote = z.infer<typeof Vote>;

export interface VoteRequest {
  readonly conversationId: string;
  readonly agent: Agent;
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly transcript: readonly ConversationLine[];
  readonly room: RoomFigures;
}

export interface CastVote extends Vote, VoiceProvenance {}

/** One memory a conversation leaves for one agent, before banding and deduplication. */
export const MemoryDraft = z
  .object({
    agent: Agent,
    type: MemoryType,
    content: z.string().trim().min(1).max(300),
    confidence: z.number().min(0).max(1),
    tags: z.array(z.string().min(1).max(40)).max(8),
  })
  .strict();
export type MemoryDraft = z.infer<typeof MemoryDraft>;

export interface DistillRequest {
  readonly conversationId: string;
  /** Whose conversation it was: the proposing or scheduling agent. */
  readonly convener: Agent;
  readonly format: ConversationFormat;
  readonly topic: string;
  readonly participants: readonly Agent[];
  readonly transcript: readonly ConversationLine[];
}

export interface Distilled extends VoiceProvenance {
  /** Unfiltered: the engine drops, bands, caps at six and deduplicates. */
  readonly memories: readonly MemoryDraft[];
}

export interface AgentVoice {
  speak(request: TurnRequest): Promise<SpokenTurn>;
  vote(request: VoteRequest): Promise<CastVote>;
  distill(request: DistillRequest): Promise<Distilled>;
}
