/**
 * The web app's sign-in methods (ApiServices.signIn, GET /api/auth/methods): a pasted JWT when JWT is
 * on, and the OpenID Connect provider when AUTH_OIDC_CLIENT_ID is set. Throws a ConfigError at start
 * when the provider is configured without what it needs.
 * @module
 */
import type { Clock } from '@atc/contracts';
import type { Logger } from '@atc/platform';
import type { ApiServices } from '../api-route';
import type { JwtSettings } from './auth-settings';
import { createJwtVerifier } from './jwt-verifier';
import { createOidcProvider } from './oidc-provider.client';
import { type DashboardOidcConfig, oidcSettingsOf } from './oidc-settings';

export function signInMethodsOf(
  config: DashboardOidcConfig,
  jwt: JwtSettings | undefined,
  options: { readonly clock: Clock; readonly logger: Logger; readonly fetch?: typeof fetch },
): NonNullable<ApiServices['signIn']> {
  const oidc = oidcSettingsOf(config, jwt);
  if (!oidc || !jwt) return { jwt: jwt !== undefined, oidc: undefined };
  const logger = options.logger.child({ component: 'oidc' });
  // The provider's token must pass the same checks as any JWT bearer (issuer, audience, role claim).
  const verify = createJwtVerifier(jwt, { clock: options.clock, logger });
  return {
    jwt: true,
    oidc: createOidcProvider({
      settings: oidc,
      verify,
      logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  };
}
