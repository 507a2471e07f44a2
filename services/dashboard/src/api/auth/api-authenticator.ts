/**
 * The operator API's Authenticator (api-route.ts): `Authorization: Bearer <API key | JWT>` for every
 * route, a single-use `ticket` only where the access is `stream.connect` (the EventSource of
 * GET /api/stream, engineer H4's route), and the deployment's HEARTBEAT_TOKEN only for the
 * `heartbeat_token` access of POST /api/heartbeat. Credentials never come from a query string except
 * that ticket, so an API key in a URL (and so in logs and browser history) is never accepted.
 * @module
 */
import type { Clock } from '@atc/contracts';
import type { Logger, Pool } from '@atc/platform';
import { API_KEY_PREFIX, redeemStreamTicket, verifyApiKey } from '@atc/trading';
import type { Authentication, Authenticator, RouteAccess } from '../api-route';
import type { AuthSettings } from './auth-settings';
import { matchesHeartbeatToken } from './heartbeat-token';
import { createJwtVerifier, looksLikeJwt, type JwtVerifier } from './jwt-verifier';
import { createVerifiedKeyCache } from './verified-key-cache';

export interface AuthenticatorOptions {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: AuthSettings;
}

/** RFC 6750 §2.1: the scheme is case-insensitive; the token is one run of visible characters. */
const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

/** The token of a Bearer header, or why there is none. */
function bearerToken(authorization: string | undefined): string | { reason: 'missing' | 'malformed' } {
  if (authorization === undefined || authorization.trim() === '') return { reason: 'missing' };
  const match = BEARER.exec(authorization);
  return match ? match[1]! : { reason: 'malformed' };
}

const refuse = (reason: Extract<Authentication, { ok: false }>['reason']): Authentication => ({
  ok: false,
  reason,
});

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { pool, clock, settings } = options;
  const verifyJwt: JwtVerifier | undefined = settings.jwt
    ? createJwtVerifier(settings.jwt, { clock, logger: options.logger })
    : undefined;
  const apiKeys = createVerifiedKeyCache((key) => verifyApiKey(pool, key, clock), {
    ttlMs: settings.apiKeyCacheMs ?? 0,
    clock,
  });

  async function bearer(token: string): Promise<Authentication> {
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await apiKeys.verify(token);
      return key.ok
        ? { ok: true, principal: { kind: 'api_key', name: key.name, role: key.role } }
        : refuse(key.reason);
    }
    if (verifyJwt && looksLikeJwt(token)) {
      const jwt = await verifyJwt(token);
      return jwt.ok
        ? { ok: true, principal: { kind: 'jwt', name: jwt.name, role: jwt.role } }
        : refuse(jwt.reason);
    }
    return refuse('unknown');
  }

  async function streamTicket(ticket: string): Promise<Authentication> {
    const redeemed = await redeemStreamTicket(pool, ticket, clock);
    return redeemed.ok
      ? { ok: true, principal: { kind: 'stream_ticket', name: redeemed.name, role: redeemed.role } }
      : refuse(redeemed.reason);
  }

  return {
    async authenticate(request, access: Exclude<RouteAccess, 'public'>) {
      if (request.ticket !== undefined) {
        // A ticket is for the EventSource alone, and never alongside a header (which one would count?).
        if (access !== 'stream.connect' || request.authorization !== undefined) return refuse('malformed');
        return streamTicket(request.ticket);
      }
      const token = bearerToken(request.authorization);
      if (typeof token !== 'string') return refuse(token.reason);
      if (access === 'heartbeat_token') {
        // Only the deployment's token opens this route: not an API key, not a JWT.
        return matchesHeartbeatToken(token, settings.heartbeatTokens)
          ? { ok: true, principal: { kind: 'heartbeat_token', name: 'heartbeat_token', role: 'viewer' } }
          : refuse('unknown');
      }
      return bearer(token);
    },
  };
}
