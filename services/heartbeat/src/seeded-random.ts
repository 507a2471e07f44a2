import { createHash } from 'node:crypto';

/** mulberry32: a small, fast, seeded PRNG; reproducible reactions need nothing stronger. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A run's seed when none is configured: derived from its id, so the run row identifies it. */
export function seedOf(runId: string): number {
  return createHash('sha256').update(runId).digest().readUInt32BE(0);
}
