/**
 * The web app's sign-in methods: an API key or a JWT pasted, and — when the deployment names an
 * OpenID Connect provider — the OAuth 2.0 authorization-code flow with PKCE (RFC 7636, S256) as a
 * public client, the code exchanged at the provider's token endpoint through the dashboard.
 * @module
 */
import { z } from 'zod';
import { ApiRole, IsoInstant } from './api-common';

/** What a sign-in with the provider needs (from AUTH_OIDC_* and the provider's discovery document). */
export const OidcSignIn = z.object({
  /** The provider's issuer, as its discovery document names it (the JWT's `iss`). */
  issuer: z.string(),
  authorizationEndpoint: z.url(),
  /** Where the dashboard exchanges the code (POST /api/auth/oidc/token); the browser never calls it. */
  tokenEndpoint: z.url(),
  /** The web app's public client (no secret) registered at the provider. */
  clientId: z.string(),
  scope: z.string(),
  /** The provider's logout, when its discovery names one. */
  endSessionEndpoint: z.url().nullable(),
});
export type OidcSignIn = z.infer<typeof OidcSignIn>;

/** GET /api/auth/methods (no credentials): how one may sign in here. */
export const AuthMethods = z.object({
  /** An API key (`atc apikey create`) pasted: always. */
  apiKey: z.literal(true),
  /** A JWT of the configured issuer pasted (AUTH_JWT_* set). */
  jwt: z.boolean(),
  /** The provider's sign-in, or null when none is configured (or its discovery failed: retried later). */
  oidc: OidcSignIn.nullable(),
});
export type AuthMethods = z.infer<typeof AuthMethods>;

/** POST /api/auth/oidc/token: the code the provider sent back, with the PKCE verifier it was bound to. */
export const OidcTokenRequest = z
  .object({
    code: z.string().min(1).max(4096),
    codeVerifier: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{43,128}$/, 'an RFC 7636 code verifier: 43 to 128 unreserved characters'),
    redirectUri: z.url().max(2048),
  })
  .strict();
export type OidcTokenRequest = z.infer<typeof OidcTokenRequest>;

/** The token the web app sends as its bearer from now on, already verified by this API: its role and end. */
export const OidcTokenResponse = z.object({
  token: z.string(),
  name: z.string(),
  role: ApiRole,
  expiresAt: IsoInstant.nullable(),
});
export type OidcTokenResponse = z.infer<typeof OidcTokenResponse>;
