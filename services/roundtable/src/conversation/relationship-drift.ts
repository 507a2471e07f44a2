/**
 * Relationship drift after a conversation (original-system.md §7 "After the conversation" (2)):
 * each consecutive pair of different speakers is classified by keywords in the reply, the
 * conversation's sentiment weighs them, and every participant pair drifts — capped at ±maxDrift,
 * the new affinity clamped into [min, max] at the column's two decimals. Pure.
 * @module
 */
import type { Agent } from '@atc/contracts';
import { pairKey } from './speaker-choice';

export type InteractionKind = 'agreement' | 'disagreement' | 'support' | 'challenge';

/** Whole-word keywords (the original matched substrings, so "now" counted as "no"). */
const KEYWORDS: readonly { kind: InteractionKind; strength: number; pattern: RegExp }[] = [
  { kind: 'agreement', strength: 0.8, pattern: /\b(agree|agreed|yes|correct|right|good point|exactly)\b/i },
  { kind: 'disagreement', strength: 0.7, pattern: /\b(disagree|no|wrong|but|however|although)\b/i },
  {
    kind: 'support',
    strength: 0.6,
    pattern: /\b(support|supports|with you|builds? on|adding to|good call)\b/i,
  },
  { kind: 'challenge', strength: 0.6, pattern: /(\?|\b(why|what about|are you sure|evidence|prove)\b)/i },
];

/** Per unit of strength, how far one interaction of each kind moves the pair. */
const STEP: Readonly<Record<InteractionKind, number>> = {
  agreement: 0.02,
  support: 0.015,
  disagreement: -0.01,
  challenge: -0.005,
};
const POSITIVE: ReadonlySet<InteractionKind> = new Set(['agreement', 'support']);

export interface Interaction {
  readonly from: Agent;
  readonly to: Agent;
  readonly kind: InteractionKind;
  readonly strength: number;
}

export interface SpokenLine {
  readonly agent: Agent;
  readonly text: string;
}

/** The first matching class of a reply, or undefined (neutral, ignored). */
export function classifyReply(text: string): { kind: InteractionKind; strength: number } | undefined {
  const match = KEYWORDS.find((k) => k.pattern.test(text));
  return match ? { kind: match.kind, strength: match.strength } : undefined;
}

/** Each reply to a different speaker that carries a class. */
export function interactionsOf(lines: readonly SpokenLine[]): Interaction[] {
  const found: Interaction[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const [before, reply] = [lines[i - 1]!, lines[i]!];
    if (before.agent === reply.agent) continue;
    const kind = classifyReply(reply.text);
    if (kind) found.push({ from: reply.agent, to: before.agent, ...kind });
  }
  return found;
}

/** Σ(±strength)/Σstrength in [−1, 1]; 0 with no interactions. */
export function sentimentOf(interactions: readonly Interaction[]): number {
  const total = interactions.reduce((sum, i) => sum + i.strength, 0);
  if (total === 0) return 0;
  const signed = interactions.reduce((sum, i) => sum + (POSITIVE.has(i.kind) ? i.strength : -i.strength), 0);
  return signed / total;
}

export interface PairDrift {
  readonly agentA: Agent;
  readonly agentB: Agent;
  /** Signed, within ±maxDrift. */
  readonly drift: number;
  /** Direct exchanges between the two in this conversation. */
  readonly interactions: number;
  readonly reason: string;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The drift of every participant pair, capped at ±maxDrift. */
export function pairDrifts(
  participants: readonly Agent[],
  lines: readonly SpokenLine[],
  maxDrift: number,
): PairDrift[] {
  const interactions = interactionsOf(lines);
  const sentiment = sentimentOf(interactions);
  const unique = [...new Set(participants)].sort();
  const drifts: PairDrift[] = [];
  for (const [i, agentA] of unique.entries()) {
    for (const agentB of unique.slice(i + 1)) {
      const direct = interactions.filter((x) => pairKey(x.from, x.to) === pairKey(agentA, agentB));
      const raw =
        direct.length === 0
          ? 0.01 * sentiment
          : (direct.reduce((sum, x) => sum + STEP[x.kind] * x.strength, 0) / direct.length) *
            (1 + 0.5 * sentiment);
      const kinds = [...new Set(direct.map((x) => x.kind))].join(', ');
      drifts.push({
        agentA,
        agentB,
        drift: clamp(raw, -maxDrift, maxDrift),
        interactions: direct.length,
        reason:
          direct.length === 0
            ? `room sentiment ${sentiment.toFixed(2)}`
            : `${direct.length} exchange(s): ${kinds}; sentiment ${sentiment.toFixed(2)}`,
      });
    }
  }
  return drifts;
}

/** The affinity after a drift: at two decimals (the column's scale), within [min, max]. */
export function nextAffinity(current: number, drift: number, min: number, max: number): number {
  const rounded = Math.round((current + drift) * 100) / 100;
  return clamp(rounded, min, max);
}
