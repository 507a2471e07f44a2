/**
 * How an agent's memories reach its turn (original-system.md §3): memory influence (with the
 * policy's probability, memories of the used types at or above its confidence, scored for relevance
 * to the topic, top three) and voice evolution (modifiers from the most topic-relevant memories).
 * Pure: the engine reads the memories and rolls the dice.
 * @module
 */
import type { MemoryType } from '@atc/contracts';

export interface RecallableMemory {
  readonly type: MemoryType;
  readonly content: string;
  readonly confidence: number;
  readonly tags: readonly string[];
  readonly promoted: boolean;
  readonly createdAt: Date;
}

export interface InfluencePolicy {
  readonly enabled: boolean;
  readonly probability: number;
  readonly minConfidence: number;
  readonly typesUsed: readonly MemoryType[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_RECALLED = 3;
export const MIN_RELEVANCE = 0.3;

/** The topic's words of four letters or more, lower case. */
export function keywordsOf(topic: string): string[] {
  return [...new Set(topic.toLowerCase().match(/[a-z0-9]{4,}/g) ?? [])];
}

/** The share of keywords found in the text, 0..1. */
function hitShare(keywords: readonly string[], haystack: string): number {
  if (keywords.length === 0) return 0;
  const text = haystack.toLowerCase();
  return keywords.filter((k) => text.includes(k)).length / keywords.length;
}

/** 0.5·keyword hits + 0.3·tag hits + 0.2·confidence, +0.1 when promoted, ×0.7 when older than 30 days. */
export function relevanceOf(memory: RecallableMemory, keywords: readonly string[], now: Date): number {
  let score =
    0.5 * hitShare(keywords, memory.content) +
    0.3 * hitShare(keywords, memory.tags.join(' ')) +
    0.2 * memory.confidence;
  if (memory.promoted) score += 0.1;
  if (now.getTime() - memory.createdAt.getTime() > 30 * DAY_MS) score *= 0.7;
  return score;
}

/** Memory influence: `roll` is a uniform draw; below the policy's probability the memories speak. */
export function recall(
  memories: readonly RecallableMemory[],
  topic: string,
  policy: InfluencePolicy,
  roll: number,
  now: Date,
): string[] {
  if (!policy.enabled || roll >= policy.probability) return [];
  const keywords = keywordsOf(topic);
  return memories
    .filter((m) => policy.typesUsed.includes(m.type) && m.confidence >= policy.minConfidence)
    .map((m) => ({ m, score: relevanceOf(m, keywords, now) }))
    .filter((x) => x.score > MIN_RELEVANCE)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_RECALLED)
    .map((x) => x.m.content);
}

export type ModifierKind = 'optimism' | 'emphasis' | 'caution';
const MODIFIER_OF: Readonly<Record<MemoryType, ModifierKind>> = {
  insight: 'optimism',
  pattern: 'emphasis',
  strategy: 'emphasis',
  preference: 'caution',
  lesson: 'caution',
};
const LINE_OF: Readonly<Record<ModifierKind, string>> = {
  optimism: 'Lean optimistic based on past insights',
  emphasis: 'Emphasise what has worked before',
  caution: 'Exercise caution based on past lessons',
};

export interface VoiceModifier {
  readonly kind: ModifierKind;
  /** confidence × max(0, 1 − age in days / 30). */
  readonly strength: number;
  /** The prompt line, e.g. "Exercise caution based on past lessons (confidence 0.72)". */
  readonly line: string;
}

/** Voice evolution: from the five most topic-relevant memories, the three strongest modifiers ≥ 0.3. */
export function voiceModifiers(
  memories: readonly RecallableMemory[],
  topic: string,
  now: Date,
): VoiceModifier[] {
  const keywords = keywordsOf(topic);
  const ageDays = (m: RecallableMemory) => (now.getTime() - m.createdAt.getTime()) / DAY_MS;
  const topicScore = (m: RecallableMemory) =>
    0.3 * m.confidence + (ageDays(m) < 1 ? 0.2 : 0) + 0.5 * hitShare(keywords, m.content);
  return [...memories]
    .sort((a, b) => topicScore(b) - topicScore(a))
    .slice(0, 5)
    .map((m) => {
      const kind = MODIFIER_OF[m.type];
      const strength = m.confidence * Math.max(0, 1 - ageDays(m) / 30);
      return { kind, strength, line: `${LINE_OF[kind]} (confidence ${m.confidence.toFixed(2)})` };
    })
    .filter((m) => m.strength >= 0.3)
    .sort((a, b) => b.strength - a.strength)
    .slice(0, 3);
}

export const MAX_TURN_TEXT = 120;
export const NO_RESPONSE = '[No response generated]';

/**
 * A turn's text as stored: trimmed, wrapping quotes stripped, strong modifiers (> 0.7) applied
 * (caution prefixes "[Caution advised] ", emphasis appends "!"), cut to 120 characters (117 and
 * "..."), and a placeholder when empty.
 */
export function finishTurnText(raw: string, modifiers: readonly VoiceModifier[]): string {
  let text = raw
    .trim()
    .replace(/^["'“”](.*)["'“”]$/s, '$1')
    .trim();
  if (!text) return NO_RESPONSE;
  const strong = new Set(modifiers.filter((m) => m.strength > 0.7).map((m) => m.kind));
  if (strong.has('caution') && !text.startsWith('[Caution advised]')) text = `[Caution advised] ${text}`;
  if (strong.has('emphasis') && !text.endsWith('!')) text = `${text.replace(/[.]$/, '')}!`;
  return text.length > MAX_TURN_TEXT ? `${text.slice(0, MAX_TURN_TEXT - 3)}...` : text;
}
