/**
 * Who speaks next (original-system.md §7, turn rule 1, with its defects fixed): weight =
 * 0.6·affinity + 0.2·recency + 0.2·jitter, with jitter uniform in [0, 1] (a real 20 % share; the
 * original multiplied it by 0.2 twice), and never the same speaker twice in a row. One addition:
 * when the turns left are as few as the participants who have not spoken yet, only those may speak,
 * so everyone speaks whenever the conversation is at least as long as the room.
 * @module
 */
import type { Agent } from '@atc/contracts';
import type { Random } from './seeded-random';

export const AFFINITY_WEIGHT = 0.6;
export const RECENCY_WEIGHT = 0.2;
export const JITTER_WEIGHT = 0.2;
/** A pair with no relationship row. */
export const DEFAULT_AFFINITY = 0.5;

/** Affinities keyed `a|b` with a < b, as atc.relationships keys its pairs. */
export type AffinityMap = Readonly<Record<string, number>>;

export const pairKey = (a: Agent, b: Agent): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The mean affinity of `agent` to the other participants. */
export function meanAffinity(agent: Agent, participants: readonly Agent[], affinities: AffinityMap): number {
  const others = participants.filter((p) => p !== agent);
  if (others.length === 0) return DEFAULT_AFFINITY;
  const sum = others.reduce(
    (total, other) => total + (affinities[pairKey(agent, other)] ?? DEFAULT_AFFINITY),
    0,
  );
  return sum / others.length;
}

/** 1 for an agent that has not spoken; else clamp(1 − e^(−0.5·turns since it spoke), 0.1, 1). */
export function recencyOf(agent: Agent, spoken: readonly Agent[]): number {
  const last = spoken.lastIndexOf(agent);
  if (last < 0) return 1;
  const since = spoken.length - last;
  return Math.min(1, Math.max(0.1, 1 - Math.exp(-0.5 * since)));
}

export interface SpeakerWeight {
  readonly agent: Agent;
  readonly affinity: number;
  readonly recency: number;
  /** Uniform in [0, 1). */
  readonly jitter: number;
  readonly weight: number;
}

export function weightOf(agent: Agent, affinity: number, recency: number, jitter: number): SpeakerWeight {
  const weight = AFFINITY_WEIGHT * affinity + RECENCY_WEIGHT * recency + JITTER_WEIGHT * jitter;
  return { agent, affinity, recency, jitter, weight };
}

export interface SpeakerChoice {
  readonly participants: readonly Agent[];
  readonly affinities: AffinityMap;
  /** Who spoke each turn so far, in order. */
  readonly spoken: readonly Agent[];
  /** Turns left including the one being chosen. */
  readonly turnsLeft: number;
  readonly random: Random;
}

/** The candidates for the next turn: not the last speaker, and only the silent ones when time is short. */
export function candidatesOf(choice: Omit<SpeakerChoice, 'random' | 'affinities'>): Agent[] {
  const last = choice.spoken.at(-1);
  const eligible = choice.participants.filter((p) => p !== last);
  const silent = eligible.filter((p) => !choice.spoken.includes(p));
  return silent.length > 0 && silent.length >= choice.turnsLeft ? silent : eligible;
}

/** Each candidate's weight, jitter drawn from `random`, in participant order. */
export function speakerWeights(choice: SpeakerChoice): SpeakerWeight[] {
  return candidatesOf(choice).map((agent) =>
    weightOf(
      agent,
      meanAffinity(agent, choice.participants, choice.affinities),
      recencyOf(agent, choice.spoken),
      choice.random(),
    ),
  );
}

/** A weighted random choice among the candidates. */
export function chooseSpeaker(choice: SpeakerChoice): Agent {
  const weights = speakerWeights(choice);
  if (weights.length === 0) throw new Error('a conversation needs at least two participants');
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  let point = choice.random() * total;
  for (const w of weights) {
    point -= w.weight;
    if (point < 0) return w.agent;
  }
  return weights.at(-1)!.agent;
}
