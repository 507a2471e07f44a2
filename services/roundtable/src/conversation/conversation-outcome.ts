/**
 * What a conversation decides and keeps, pure: the convener's decision with sage's veto, the
 * memories banded by type (original-system.md §3), and the action items of a formal format (§7 (3)).
 * @module
 */
import type { Agent, MemoryType } from '@atc/contracts';
import type { CastVote, ConversationLine, MemoryDraft } from '../voices/agent-voice';

export type Consensus = 'proceed' | 'hold' | 'undecided';

export interface AgentVote extends CastVote {
  readonly agent: Agent;
}

/**
 * sage opposing is a veto (hold). Otherwise the majority of support against oppose; a tie is the
 * convener's own vote (support proceeds, oppose holds, abstain or no vote leaves it undecided).
 */
export function decide(votes: readonly AgentVote[], convener: Agent): Consensus {
  if (votes.some((v) => v.agent === 'sage' && v.vote === 'oppose')) return 'hold';
  const support = votes.filter((v) => v.vote === 'support').length;
  const oppose = votes.filter((v) => v.vote === 'oppose').length;
  if (support > oppose) return 'proceed';
  if (oppose > support) return 'hold';
  const own = votes.find((v) => v.agent === convener)?.vote;
  return own === 'support' ? 'proceed' : own === 'oppose' ? 'hold' : 'undecided';
}

/** The confidence band of each memory type. */
export const MEMORY_BANDS: Readonly<Record<MemoryType, readonly [number, number]>> = {
  insight: [0.65, 0.85],
  pattern: [0.7, 0.9],
  strategy: [0.75, 0.9],
  preference: [0.6, 0.8],
  lesson: [0.55, 0.75],
};
/** A draft below this (before banding) is dropped. */
export const MIN_MEMORY_CONFIDENCE = 0.55;
export const MAX_MEMORIES_PER_CONVERSATION = 6;

export interface BandedMemory extends MemoryDraft {
  /** Two decimals, within the type's band. */
  readonly confidence: number;
}

/**
 * Drops drafts below 0.55, deduplicates (agent, type, content), keeps the six most confident
 * (first come on a tie), then clamps each into its type's band at two decimals.
 */
export function bandMemories(drafts: readonly MemoryDraft[]): BandedMemory[] {
  const seen = new Set<string>();
  const kept = drafts.filter((d) => {
    const key = `${d.agent}\u0000${d.type}\u0000${d.content.trim().toLowerCase()}`;
    if (d.confidence < MIN_MEMORY_CONFIDENCE || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept
    .map((d, index) => ({ d, index }))
    .sort((x, y) => y.d.confidence - x.d.confidence || x.index - y.index)
    .slice(0, MAX_MEMORIES_PER_CONVERSATION)
    .sort((x, y) => x.index - y.index)
    .map(({ d }) => {
      const [low, high] = MEMORY_BANDS[d.type];
      const banded = Math.min(high, Math.max(low, Math.round(d.confidence * 100) / 100));
      return { ...d, confidence: banded };
    });
}

export const MAX_ACTION_ITEMS = 3;
export const MAX_ACTION_ITEM_CHARACTERS = 100;
const ACTION_PATTERN = /\b(should|need to|must|will|going to|next step)\b|\b(action|task|todo):/i;

export interface ActionItem {
  /** 0-based, stable: the proposal's idempotency key. */
  readonly index: number;
  readonly agent: Agent;
  readonly turn: number;
  readonly text: string;
}

/** Sentences that commit to something, at most 100 characters, the first three distinct ones. */
export function actionItemsOf(transcript: readonly ConversationLine[]): ActionItem[] {
  const items: ActionItem[] = [];
  const seen = new Set<string>();
  for (const line of transcript) {
    for (const raw of line.text.split(/(?<=[.!?])\s+/)) {
      const text = raw.trim();
      const key = text.toLowerCase();
      if (!text || text.length > MAX_ACTION_ITEM_CHARACTERS || !ACTION_PATTERN.test(text) || seen.has(key))
        continue;
      seen.add(key);
      items.push({ index: items.length, agent: line.agent, turn: line.turn, text });
      if (items.length === MAX_ACTION_ITEMS) return items;
    }
  }
  return items;
}
