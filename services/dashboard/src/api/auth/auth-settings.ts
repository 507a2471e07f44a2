/**
 * The authentication settings from the dashboard's environment (dashboardAuthEnvironment), with the
 * checks that span keys: JWT on needs an issuer and an audience, and exactly one way to get keys.
 * @module
 */
import type { z } from 'zod';
import { ConfigError } from '@atc/platform';
import type { dashboardAuthEnvironment } from '../../dashboard.config';

export type DashboardAuthConfig = z.infer<z.ZodObject<typeof dashboardAuthEnvironment>>;

export interface JwtSettings {
  /** Where the issuer publishes its signing keys, or a shared HS256 secret: exactly one. */
  readonly keys: { readonly jwksUrl: string } | { readonly secret: string };
  readonly issuer: string;
  readonly audience: string;
  readonly roleClaim: string;
}

export interface AuthSettings {
  readonly jwt: JwtSettings | undefined;
  /** HEARTBEAT_TOKEN, then HEARTBEAT_TOKEN_PREVIOUS when set; empty when the route is off. */
  readonly heartbeatTokens: readonly string[];
  /** How long a verified API key is trusted without a database read; 0 reads every time. */
  readonly apiKeyCacheMs?: number;
}

/** Throws a ConfigError naming every key that is missing or contradicts another (never a value). */
export function authSettingsOf(config: DashboardAuthConfig): AuthSettings {
  const problems: string[] = [];
  const jwtOn = config.AUTH_JWT_JWKS_URL !== undefined || config.AUTH_JWT_SECRET !== undefined;
  if (config.AUTH_JWT_JWKS_URL !== undefined && config.AUTH_JWT_SECRET !== undefined) {
    problems.push('AUTH_JWT_SECRET: set either AUTH_JWT_JWKS_URL or AUTH_JWT_SECRET, not both');
  }
  if (jwtOn && config.AUTH_JWT_ISSUER === undefined) {
    problems.push('AUTH_JWT_ISSUER: is required when JWT authentication is on');
  }
  if (jwtOn && config.AUTH_JWT_AUDIENCE === undefined) {
    problems.push('AUTH_JWT_AUDIENCE: is required when JWT authentication is on');
  }
  if (config.HEARTBEAT_TOKEN_PREVIOUS !== undefined && config.HEARTBEAT_TOKEN === undefined) {
    problems.push('HEARTBEAT_TOKEN: is required when HEARTBEAT_TOKEN_PREVIOUS is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const jwt: JwtSettings | undefined = jwtOn
    ? {
        keys:
          config.AUTH_JWT_JWKS_URL !== undefined
            ? { jwksUrl: config.AUTH_JWT_JWKS_URL }
            : { secret: config.AUTH_JWT_SECRET! },
        issuer: config.AUTH_JWT_ISSUER!,
        audience: config.AUTH_JWT_AUDIENCE!,
        roleClaim: config.AUTH_JWT_ROLE_CLAIM,
      }
    : undefined;
  const heartbeatTokens = [config.HEARTBEAT_TOKEN, config.HEARTBEAT_TOKEN_PREVIOUS].filter(
    (token): token is string => token !== undefined,
  );
  return { jwt, heartbeatTokens, apiKeyCacheMs: config.API_KEY_CACHE_MS };
}
