/**
 * Single-use tickets for the live stream: the browser's EventSource cannot send an Authorization
 * header, so an authenticated caller trades its credentials for a ticket (valid 60 s, carrying its
 * role) and opens `/api/stream?ticket=…`. Kept in the database, so any dashboard replica redeems a
 * ticket another issued; only the ticket's hash is stored. docs/api/auth.md says why not a cookie.
 * @module
 */
import type { ApiRole, Clock } from '@atc/contracts';
import type { Pool } from '@atc/platform';
import { generateStreamTicket, hashSecret, STREAM_TICKET_PREFIX } from './api-secrets';
import {
  deleteExpiredStreamTickets,
  insertStreamTicket,
  redeemStreamTicketRow,
  selectStreamTicket,
} from './api-keys.queries';

export const STREAM_TICKET_TTL_MS = 60_000;

export async function issueStreamTicket(
  pool: Pool,
  holder: { name: string; role: ApiRole },
  clock: Clock,
): Promise<{ ticket: string; expiresAt: Date }> {
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + STREAM_TICKET_TTL_MS);
  const { ticket, ticketHash } = generateStreamTicket();
  await deleteExpiredStreamTickets(pool, now);
  await insertStreamTicket(pool, {
    ticketHash,
    principalName: holder.name,
    role: holder.role,
    createdAt: now,
    expiresAt,
  });
  return { ticket, expiresAt };
}

export type StreamTicketRedemption =
  | { readonly ok: true; readonly name: string; readonly role: ApiRole }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'ticket_used' };

/** Redeems a ticket once: a second redemption is `ticket_used`, a late one `expired`. */
export async function redeemStreamTicket(
  pool: Pool,
  ticket: string,
  clock: Clock,
): Promise<StreamTicketRedemption> {
  if (!ticket.startsWith(STREAM_TICKET_PREFIX)) return { ok: false, reason: 'unknown' };
  const ticketHash = hashSecret(ticket);
  const now = clock.now();
  const redeemed = await redeemStreamTicketRow(pool, { ticketHash, now });
  if (redeemed) return { ok: true, name: redeemed.principalName, role: redeemed.role };
  const stored = await selectStreamTicket(pool, ticketHash);
  if (!stored) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: stored.usedAt !== null ? 'ticket_used' : 'expired' };
}
