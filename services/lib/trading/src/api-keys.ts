/**
 * API keys of the operator API: created (the plaintext key returned once, only its hash stored),
 * listed, revoked by name, verified. `atc apikey` and the dashboard's /api/api-keys routes call these
 * same functions; creation and revocation are audited with the actor's name.
 * @module
 */
import { ApiRole, type Clock } from '@atc/contracts';
import {
  ConflictError,
  InputError,
  NotFoundError,
  withTransaction,
  type Pool,
  type Queryable,
} from '@atc/platform';
import { appendAudit } from './audit-log';
import { generateApiKey, isApiKeyShaped, sameHash, hashSecret, shownPrefixOf } from './api-secrets';
import {
  insertApiKey,
  selectApiKeys,
  selectApiKeysByPrefix,
  touchApiKey,
  updateApiKeyRevoked,
  type ApiKeyRow,
} from './api-keys.queries';

/** A key as listings show it: never the key, never its hash. */
export interface ApiKeySummary {
  readonly name: string;
  readonly role: ApiRole;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

const summaryOf = (row: ApiKeyRow): ApiKeySummary => ({
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  expiresAt: row.expiresAt,
  revokedAt: row.revokedAt,
});

/** A key's name: the audit log's actor, so short and printable. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

const MAX_LIFETIME_DAYS = 3650;

/**
 * A key's lifetime as `atc apikey create --expires` and the API take it: a whole number of days or
 * hours, `90d` or `12h`, at least 1 and at most ten years. `field` names the flag or field in errors.
 */
export function parseKeyLifetime(text: string, field: string): number {
  const match = /^(\d{1,6})([dh])$/.exec(text.trim());
  const amount = match ? Number(match[1]) : 0;
  const days = match?.[2] === 'h' ? amount / 24 : amount;
  if (!match || amount < 1 || days > MAX_LIFETIME_DAYS) {
    throw new InputError(
      `${field} must be a whole number of days or hours from 1h to ${MAX_LIFETIME_DAYS}d, such as 90d or 12h; got ${JSON.stringify(text)}`,
      { details: { field } },
    );
  }
  return amount * (match[2] === 'h' ? 3_600_000 : 86_400_000);
}

export interface NewApiKey {
  readonly name: string;
  readonly role: string;
  /** Milliseconds from now (parseKeyLifetime); none means the key does not expire. */
  readonly lifetimeMs?: number;
  /** Who creates it, for the audit log. */
  readonly actor: string;
}

function checkNewKey(input: NewApiKey): { name: string; role: ApiRole } {
  if (!KEY_NAME.test(input.name)) {
    throw new InputError(
      `name must be 1–64 letters, digits or . _ : @ - (starting with a letter or digit); got ${JSON.stringify(input.name)}`,
      { details: { field: 'name' } },
    );
  }
  const role = ApiRole.safeParse(input.role);
  if (!role.success) {
    throw new InputError(
      `role must be one of ${ApiRole.options.join(', ')}; got ${JSON.stringify(input.role)}`,
      {
        details: { field: 'role' },
      },
    );
  }
  return { name: input.name, role: role.data };
}

/**
 * Creates a key and audits it in one transaction. Returns the plaintext key: this is the only time it
 * exists outside the caller's hands. A taken name is a ConflictError.
 */
export async function createApiKey(
  pool: Pool,
  input: NewApiKey,
  clock: Clock,
): Promise<{ key: string; summary: ApiKeySummary }> {
  const { name, role } = checkNewKey(input);
  const now = clock.now();
  const expiresAt = input.lifetimeMs === undefined ? null : new Date(now.getTime() + input.lifetimeMs);
  const { key, prefix, keyHash } = generateApiKey();
  const row = await withTransaction(pool, async (client) => {
    const inserted = await insertApiKey(client, { name, role, prefix, keyHash, createdAt: now, expiresAt });
    if (!inserted) throw new ConflictError(`an API key named ${JSON.stringify(name)} already exists`);
    await appendAudit(client, {
      actor: input.actor,
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: name,
      details: { role, prefix, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return inserted;
  });
  return { key, summary: summaryOf(row) };
}

export async function listApiKeys(db: Queryable): Promise<ApiKeySummary[]> {
  return (await selectApiKeys(db)).map(summaryOf);
}

/** Revokes the live key named `name`, audited; NotFoundError when there is none (or it is revoked). */
export async function revokeApiKey(
  pool: Pool,
  revoke: { name: string; actor: string },
  clock: Clock,
): Promise<ApiKeySummary> {
  const row = await withTransaction(pool, async (client) => {
    const revoked = await updateApiKeyRevoked(client, { name: revoke.name, revokedAt: clock.now() });
    if (!revoked) throw new NotFoundError(`no live API key named ${JSON.stringify(revoke.name)}`);
    await appendAudit(client, {
      actor: revoke.actor,
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: revoke.name,
      details: { prefix: revoked.prefix },
    });
    return revoked;
  });
  return summaryOf(row);
}

export type ApiKeyVerification =
  | { readonly ok: true; readonly name: string; readonly role: ApiRole; readonly expiresAt: Date | null }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' };

/**
 * Checks a presented key: looked up by its shown prefix, the hashes compared in constant time. A
 * revoked key says `revoked` even when it has also expired. A valid use stamps last_used_at (at most
 * once a minute).
 */
export async function verifyApiKey(db: Queryable, key: string, clock: Clock): Promise<ApiKeyVerification> {
  if (!isApiKeyShaped(key)) return { ok: false, reason: 'unknown' };
  const presented = hashSecret(key);
  const candidates = await selectApiKeysByPrefix(db, shownPrefixOf(key));
  const row = candidates.find((candidate) => sameHash(candidate.keyHash, presented));
  if (!row) return { ok: false, reason: 'unknown' };
  const now = clock.now();
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime())
    return { ok: false, reason: 'expired' };
  await touchApiKey(db, { id: row.id, usedAt: now });
  return { ok: true, name: row.name, role: row.role, expiresAt: row.expiresAt };
}
