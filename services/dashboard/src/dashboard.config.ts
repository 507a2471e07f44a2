import { isIP } from 'node:net';
import { z } from 'zod';
import { booleanFlag, ConfigError, integer, port, postgresUrl } from '@atc/platform';

/** Express's named proxy ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGE_NAMES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: how many proxy hops to trust (`1`), or which proxies (`10.0.0.0/8,loopback`). Unset
 * trusts nobody, so the client address is the socket's and a forged X-Forwarded-For changes nothing.
 */
const trustProxy = () =>
  z.string().transform((value, ctx): false | number | readonly string[] => {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const entries = trimmed.split(',').map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isAddressOrCidr(entry));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a hop count or a comma list of IP addresses, CIDRs, loopback, linklocal, uniquelocal',
      });
      return z.NEVER;
    }
    return entries;
  });

/** CORS_ORIGINS: a comma list of origins (`https://ops.example.com`), or `*` outside production. */
const corsOrigins = () =>
  z.string().transform((value, ctx): readonly string[] => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (const entry of entries) {
      if (entry !== '*' && !/^https?:\/\/[^/\s]+$/.test(entry)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma list of origins like https://host[:port]' });
        return z.NEVER;
      }
    }
    return entries;
  });

/** The dashboard's own environment keys; the shared role keys (database, logging, admin) are added by bootRole. */
export const dashboardEnvironment = {
  DASHBOARD_PORT: port().default(8080),
  DASHBOARD_HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  CORS_ORIGINS: corsOrigins().default([]),
  API_RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(100),
  TRUST_PROXY: trustProxy().default(false),
  REQUEST_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  STATUS_CACHE_MS: integer(0, 60_000).default(1_000),
  /** GET /api/proposals's shared pages: the most a page can lag when the live stream is down (0: no sharing). */
  PROPOSAL_LIST_CACHE_MS: integer(0, 60_000).default(1_000),
  /** The access-log level of successful GETs (writes, 4xx and 5xx are always `info` or `error`). */
  API_ACCESS_LOG_READS: z.enum(['info', 'debug']).default('debug'),
} as const;

/** The web app served at `/` (web/web-app.static.ts). */
export const webEnvironment = {
  /** The folder of its build; unset: the `web/dist` of the checkout or image (web/web-dist-directory.ts). */
  WEB_DIST_DIR: z.string().min(1).optional(),
} as const;

/** What the HTTP stack needs from the environment (api-app.ts). */
export interface ApiHttpConfig {
  /** Origins that get CORS headers; `*` is every origin (refused in production). */
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  /** Express's `trust proxy`: false (nobody), a hop count, or proxy addresses/CIDRs. */
  readonly trustProxy: false | number | readonly string[];
  readonly requestTimeoutMs: number;
  /** Check every reply against its route's response schema (off in production: it costs a parse). */
  readonly validateResponses: boolean;
  /** The access-log level of successful reads; absent: `info`. */
  readonly accessLogReads?: 'info' | 'debug';
}

type DashboardKeys = {
  readonly [K in keyof typeof dashboardEnvironment]: z.infer<(typeof dashboardEnvironment)[K]>;
};

/**
 * The HTTP stack's settings from the parsed environment, with the rules that span keys: a wildcard
 * CORS origin is refused in production (any site could then read the API with a user's credentials).
 * Throws a ConfigError naming the key.
 */
export function apiHttpConfig(config: DashboardKeys): ApiHttpConfig {
  const production = config.NODE_ENV === 'production';
  if (production && config.CORS_ORIGINS.includes('*')) {
    throw new ConfigError(['CORS_ORIGINS: * is not allowed when NODE_ENV=production; list the origins']);
  }
  return {
    corsOrigins: config.CORS_ORIGINS,
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    validateResponses: !production,
    accessLogReads: config.API_ACCESS_LOG_READS,
  };
}
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
  /** How long a verified API key is trusted without a database read (a revocation's delay). */
  API_KEY_CACHE_MS: integer(0, 60_000).default(5_000),
} as const;

/**
 * The web app's sign-in with an OpenID Connect provider (api/auth/oidc-settings.ts; docs/api/auth.md):
 * on when AUTH_OIDC_CLIENT_ID is set, which needs JWT on (the provider's tokens are verified as JWTs).
 */
export const oidcEnvironment = {
  /** The web app's public OAuth client (no secret) at the provider: set, the sign-in page offers it. */
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The provider's issuer URL, whose `/.well-known/openid-configuration` is read; unset: AUTH_JWT_ISSUER. */
  AUTH_OIDC_ISSUER: z.url({ error: 'must be an http(s) URL' }).optional(),
  /** The scopes the sign-in asks for. */
  AUTH_OIDC_SCOPE: z.string().min(1).default('openid profile'),
  /** Which token of the provider's answer becomes the bearer: its access token or its ID token. */
  AUTH_OIDC_TOKEN: z.enum(['access_token', 'id_token']).default('access_token'),
  /** Each call to the provider (discovery, code exchange) gives up after this. */
  AUTH_OIDC_TIMEOUT_MS: integer(100, 60_000).default(5_000),
} as const;

/** The live stream (GET /api/stream): its limits and timings. */
export const sseEnvironment = {
  /** Connected stream clients per process; one more is answered 503 with Retry-After. */
  SSE_MAX_CLIENTS: integer(1, 100_000).default(2_000),
  /** Events a client may fall behind (its socket not draining) before it gets `event: reset` and is dropped. */
  SSE_MAX_BUFFERED_EVENTS: integer(1, 1_000_000).default(1_000),
  /** The interval of the keep-alive comment that keeps proxies from closing an idle stream. */
  SSE_KEEPALIVE_MS: integer(1_000, 300_000).default(15_000),
  /** The `retry:` hint: how long a disconnected browser waits before reconnecting. */
  SSE_RETRY_MS: integer(100, 600_000).default(3_000),
  /** Notifications within this window are answered by one read and one write per client; 0: each. */
  SSE_BATCH_WINDOW_MS: integer(0, 1_000).default(25),
} as const;

/** The business-metrics exporter on the admin port's /metrics (metrics/business-metrics.exporter.ts). */
export const exporterEnvironment = {
  /** Off: this replica exports no business metrics (the other replicas' are identical anyway). */
  EXPORTER_ENABLED: booleanFlag().default(true),
  /** One database snapshot answers every scrape within this window (two Prometheus replicas, one read). */
  EXPORTER_CACHE_MS: integer(0, 300_000).default(5_000),
  /** The read-only role's URL (docs/operations/database-roles.md): the exporter reads through it when set. */
  EXPORTER_DATABASE_URL: postgresUrl().optional(),
} as const;
