/**
 * The deployment's heartbeat trigger token (POST /api/heartbeat): HEARTBEAT_TOKEN, or
 * HEARTBEAT_TOKEN_PREVIOUS during a rotation. Compared in constant time over SHA-256 digests, so
 * neither the content nor the length of a token leaks through timing.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether `presented` is one of `tokens`; every token is compared, match or not. */
export function matchesHeartbeatToken(presented: string, tokens: readonly string[]): boolean {
  const presentedDigest = digest(presented);
  let matched = false;
  for (const token of tokens) {
    if (timingSafeEqual(presentedDigest, digest(token))) matched = true;
  }
  return matched;
}
