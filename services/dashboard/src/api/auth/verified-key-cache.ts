/**
 * Verified API keys, trusted for `ttlMs` without a database read: under load each key costs one
 * lookup per window instead of one per request. Only successes are kept (a key created a moment ago
 * works at once, a wrong one is looked up every time), the key's own expiry is checked on every use,
 * and a revoked key stops working within the window on every replica (API_KEY_CACHE_MS). Entries are
 * keyed by the key's SHA-256, never the key, and the map is bounded.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@atc/contracts';
import type { ApiKeyVerification } from '@atc/trading';

type Verified = Extract<ApiKeyVerification, { ok: true }>;

const MAX_ENTRIES = 1_000;

export interface VerifiedKeyCache {
  verify(key: string): Promise<ApiKeyVerification>;
}

export function createVerifiedKeyCache(
  verify: (key: string) => Promise<ApiKeyVerification>,
  options: { readonly ttlMs: number; readonly clock: Clock },
): VerifiedKeyCache {
  const entries = new Map<string, { verified: Verified; verifiedAt: number }>();
  if (options.ttlMs <= 0) return { verify };
  return {
    async verify(key) {
      const id = createHash('sha256').update(key).digest('hex');
      const now = options.clock.now().getTime();
      const entry = entries.get(id);
      if (entry && now - entry.verifiedAt < options.ttlMs) {
        const { expiresAt } = entry.verified;
        if (expiresAt === null || expiresAt.getTime() > now) return entry.verified;
      }
      entries.delete(id);
      const result = await verify(key);
      if (result.ok) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(id, { verified: result, verifiedAt: now });
      }
      return result;
    },
  };
}
