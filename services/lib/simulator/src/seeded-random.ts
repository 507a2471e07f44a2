/**
 * Deterministic randomness as a pure function of (seed, key, index): the same seed gives the same
 * price path no matter when or how often it is read, and no wall-clock entropy leaks in.
 * @module
 */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit integer finaliser (from murmur3) that spreads every input bit over the output. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1). */
export function uniform(seed: number, key: string, index: number, salt = 0): number {
  const h = mix(mix(fnv1a(key) ^ mix(seed)) ^ mix(index + 0x9e3779b9 * (salt + 1)));
  return h / 0x1_0000_0000;
}

/** Standard normal via Box–Muller from two uniforms. */
export function normal(seed: number, key: string, index: number, salt = 0): number {
  const u1 = Math.max(uniform(seed, key, index, salt * 2), 1e-12);
  const u2 = uniform(seed, key, index, salt * 2 + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A stateful stream for decisions that only need to be reproducible in order (fault error rates). */
export class SeededStream {
  private index = 0;
  constructor(
    private readonly seed: number,
    private readonly key: string,
  ) {}

  next(): number {
    const value = uniform(this.seed, this.key, this.index);
    this.index += 1;
    return value;
  }
}

/** Deterministic pseudo-random bytes, for blockhashes and ids that must look real. */
export function seededBytes(seed: number, key: string, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = Math.floor(uniform(seed, key, i) * 256);
  return bytes;
}
