import { z } from 'zod';
import { port } from '@atc/platform';

/** The dashboard's own environment keys; the shared role keys (database, logging, admin) are added by bootRole. */
export const dashboardEnvironment = {
  DASHBOARD_PORT: port().default(8080),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
} as const;

/**
 * Authentication of the operator API (api/auth; docs/api/auth.md). Kept as its own block: the HTTP
 * stack's keys live above. JWT is on when AUTH_JWT_JWKS_URL or AUTH_JWT_SECRET is set (one of them),
 * and then AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are required (checked by `authSettingsOf`).
 */
export const dashboardAuthEnvironment = {
  AUTH_JWT_JWKS_URL: z.url({ error: 'must be an http(s) URL' }).optional(),
  /** An HS256 shared secret; 32 bytes at least, as RFC 7518 §3.2 asks of an HMAC key. */
  AUTH_JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWT_ROLE_CLAIM: z.string().min(1).default('atc_role'),
  /** The bearer token of POST /api/heartbeat; unset, the route refuses every caller. */
  HEARTBEAT_TOKEN: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  /** The previous HEARTBEAT_TOKEN, still accepted during a rotation. */
  HEARTBEAT_TOKEN_PREVIOUS: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
} as const;
