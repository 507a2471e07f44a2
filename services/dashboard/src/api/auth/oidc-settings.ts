/**
 * The OpenID Connect sign-in's settings from the dashboard's environment (oidcEnvironment), with the
 * checks that span keys: it needs JWT on (the provider's tokens are then verified like any JWT) and an
 * issuer URL to discover the provider from.
 * @module
 */
import type { z } from 'zod';
import { ConfigError } from '@atc/platform';
import type { oidcEnvironment } from '../../dashboard.config';
import type { JwtSettings } from './auth-settings';

export type DashboardOidcConfig = z.infer<z.ZodObject<typeof oidcEnvironment>>;

/** The web app's sign-in with the provider (AUTH_OIDC_*). */
export interface OidcSettings {
  /** The provider's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** Which token of the provider's answer is the bearer the API verifies. */
  readonly token: 'access_token' | 'id_token';
  readonly timeoutMs: number;
}

/** Undefined when AUTH_OIDC_CLIENT_ID is unset; throws a ConfigError naming the key otherwise. */
export function oidcSettingsOf(
  config: DashboardOidcConfig,
  jwt: JwtSettings | undefined,
): OidcSettings | undefined {
  if (config.AUTH_OIDC_CLIENT_ID === undefined) return undefined;
  if (jwt === undefined) {
    throw new ConfigError([
      "AUTH_OIDC_CLIENT_ID: needs JWT on (AUTH_JWT_JWKS_URL, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE): the provider's tokens are verified as JWTs",
    ]);
  }
  const issuer = config.AUTH_OIDC_ISSUER ?? jwt.issuer;
  if (!/^https?:\/\/\S+$/.test(issuer)) {
    throw new ConfigError(['AUTH_OIDC_ISSUER: is required (an http(s) URL) when AUTH_JWT_ISSUER is not one']);
  }
  return {
    issuer,
    clientId: config.AUTH_OIDC_CLIENT_ID,
    scope: config.AUTH_OIDC_SCOPE,
    token: config.AUTH_OIDC_TOKEN,
    timeoutMs: config.AUTH_OIDC_TIMEOUT_MS,
  };
}
