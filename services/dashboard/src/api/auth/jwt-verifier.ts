/**
 * JWT bearer tokens (jose): signed by the configured issuer's JWKS or a shared HS256 secret, with the
 * configured issuer and audience; the subject is the principal's name and the role comes from the
 * configured claim. Any failure is one answer, `invalid_token`: which check failed is logged, not told.
 * @module
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ApiRole, type Clock } from '@atc/contracts';
import type { Logger } from '@atc/platform';
import type { JwtSettings } from './auth-settings';

export type JwtVerification =
  | { readonly ok: true; readonly name: string; readonly role: ApiRole }
  | { readonly ok: false; readonly reason: 'invalid_token' };

export type JwtVerifier = (token: string) => Promise<JwtVerification>;

/** A JWT has three base64url parts; anything else is not one (an API key, a typo). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export function createJwtVerifier(
  settings: JwtSettings,
  options: { clock: Clock; logger: Logger },
): JwtVerifier {
  // The remote set is fetched on first use and cached by jose (refetched when a token names an unknown kid).
  const keys: JWTVerifyGetKey | Uint8Array =
    'jwksUrl' in settings.keys
      ? createRemoteJWKSet(new URL(settings.keys.jwksUrl))
      : new TextEncoder().encode(settings.keys.secret);
  // A shared secret only ever signs HS256; a JWKS's keys carry their own algorithms (never `none`).
  const algorithms = 'secret' in settings.keys ? ['HS256'] : ['RS256', 'PS256', 'ES256', 'EdDSA'];
  return async (token) => {
    try {
      const verifyOptions = {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms,
        currentDate: options.clock.now(),
      };
      const { payload } =
        keys instanceof Uint8Array
          ? await jwtVerify(token, keys, verifyOptions)
          : await jwtVerify(token, keys, verifyOptions);
      const role = ApiRole.safeParse(payload[settings.roleClaim]);
      if (typeof payload.sub !== 'string' || payload.sub === '' || !role.success) {
        options.logger.debug(
          { roleClaim: settings.roleClaim },
          'JWT refused: no subject or no valid role claim',
        );
        return { ok: false, reason: 'invalid_token' };
      }
      return { ok: true, name: payload.sub, role: role.data };
    } catch (error) {
      options.logger.debug({ err: error }, 'JWT refused');
      return { ok: false, reason: 'invalid_token' };
    }
  };
}
