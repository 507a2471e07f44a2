/**
 * A deterministic random source seeded by a string (a step or conversation id), so a retried or
 * resumed conversation draws the same length and the same speakers as the attempt it replaces.
 * @module
 */
import { createHash } from 'node:crypto';

/** A random number in [0, 1). */
export type Random = () => number;

/** mulberry32 over the first four bytes of sha256(seed): small, fast, and good enough for choices. */
export function seededRandom(seed: string): Random {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer uniform in [min, max]. */
export function uniformInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
