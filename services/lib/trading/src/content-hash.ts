import { createHash } from 'node:crypto';
import { canonicalJson } from '@atc/contracts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 of the canonical JSON of a value: what approve/reject must name. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
