/**
 * SQL of the operator API's credentials: API keys (only a hash of each key is stored) and the
 * single-use stream tickets of the browser's EventSource (migration 0014).
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { ApiRole } from '@atc/contracts';

export interface ApiKeyRow {
  readonly id: string;
  readonly name: string;
  readonly role: ApiRole;
  readonly prefix: string;
  readonly keyHash: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

const keyColumns = `id::text as id, name, role, prefix, key_hash as "keyHash", created_at as "createdAt",
       last_used_at as "lastUsedAt", expires_at as "expiresAt", revoked_at as "revokedAt"`;

/** Inserts a key; undefined when the name is taken (`on conflict do nothing` on the unique name). */
export async function insertApiKey(
  db: Queryable,
  key: {
    name: string;
    role: ApiRole;
    prefix: string;
    keyHash: string;
    createdAt: Date;
    expiresAt: Date | null;
  },
): Promise<ApiKeyRow | undefined> {
  return queryOne<ApiKeyRow>(
    db,
    `insert into atc.api_keys (name, role, prefix, key_hash, created_at, expires_at)
     values ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::timestamptz)
     on conflict (name) do nothing
     returning ${keyColumns}`,
    [key.name, key.role, key.prefix, key.keyHash, key.createdAt, key.expiresAt],
  );
}

/** Every key, newest first (revoked and expired ones too: the listing shows why a key stopped working). */
export async function selectApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  return queryRows<ApiKeyRow>(db, `select ${keyColumns} from atc.api_keys order by created_at desc, name`);
}

/**
 * The keys whose shown prefix matches; the caller compares hashes in constant time. (A handful of rows:
 * the table holds the company's keys, so no index on prefix.)
 */
export async function selectApiKeysByPrefix(db: Queryable, prefix: string): Promise<ApiKeyRow[]> {
  return queryRows<ApiKeyRow>(db, `select ${keyColumns} from atc.api_keys where prefix = $1::text`, [prefix]);
}

/** Revokes a live key by name; undefined when there is none (absent or already revoked). */
export async function updateApiKeyRevoked(
  db: Queryable,
  revoke: { name: string; revokedAt: Date },
): Promise<ApiKeyRow | undefined> {
  return queryOne<ApiKeyRow>(
    db,
    `update atc.api_keys set revoked_at = $2::timestamptz
      where name = $1::text and revoked_at is null
      returning ${keyColumns}`,
    [revoke.name, revoke.revokedAt],
  );
}

/**
 * Records a use, at most once a minute per key: every authenticated request would otherwise write a
 * row (and a dead tuple) per call.
 */
export async function touchApiKey(db: Queryable, use: { id: string; usedAt: Date }): Promise<void> {
  await db.query(
    `update atc.api_keys set last_used_at = $2::timestamptz
      where id = $1::uuid
        and (last_used_at is null or last_used_at < $2::timestamptz - interval '1 minute')`,
    [use.id, use.usedAt],
  );
}

export interface StreamTicketRow {
  readonly principalName: string;
  readonly role: ApiRole;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

const ticketColumns = `principal_name as "principalName", role, expires_at as "expiresAt", used_at as "usedAt"`;

export async function insertStreamTicket(
  db: Queryable,
  ticket: { ticketHash: string; principalName: string; role: ApiRole; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into atc.stream_tickets (ticket_hash, principal_name, role, created_at, expires_at)
     values ($1::text, $2::text, $3::text, $4::timestamptz, $5::timestamptz)`,
    [ticket.ticketHash, ticket.principalName, ticket.role, ticket.createdAt, ticket.expiresAt],
  );
}

/** Tickets expired for over an hour are of no use, even to say why a redemption failed. */
export async function deleteExpiredStreamTickets(db: Queryable, now: Date): Promise<void> {
  await db.query(`delete from atc.stream_tickets where expires_at < $1::timestamptz - interval '1 hour'`, [
    now,
  ]);
}

/**
 * Redeems a ticket: one statement, so of two concurrent redemptions exactly one gets the row (the
 * other waits for the row lock, re-checks `used_at is null` and finds it set).
 */
export async function redeemStreamTicketRow(
  db: Queryable,
  redeem: { ticketHash: string; now: Date },
): Promise<StreamTicketRow | undefined> {
  return queryOne<StreamTicketRow>(
    db,
    `update atc.stream_tickets set used_at = $2::timestamptz
      where ticket_hash = $1::text and used_at is null and expires_at > $2::timestamptz
      returning ${ticketColumns}`,
    [redeem.ticketHash, redeem.now],
  );
}

/** A ticket as stored, to say why a redemption failed. */
export async function selectStreamTicket(
  db: Queryable,
  ticketHash: string,
): Promise<StreamTicketRow | undefined> {
  return queryOne<StreamTicketRow>(
    db,
    `select ${ticketColumns} from atc.stream_tickets where ticket_hash = $1::text`,
    [ticketHash],
  );
}
