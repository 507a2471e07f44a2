import { createHash } from 'node:crypto';

/** A run's seed when none is configured: derived from its id, so the run row identifies it. */
export function seedOf(runId: string): number {
  return createHash('sha256').update(runId).digest().readUInt32BE(0);
}
