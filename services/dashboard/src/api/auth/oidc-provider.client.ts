/**
 * The OpenID Connect provider, as the web app's sign-in uses it: its discovery document (read on first
 * use, kept once read, read again after a failure) and its token endpoint, where the authorization
 * code and its PKCE verifier are exchanged for tokens. The dashboard does the exchange for the browser
 * (a public client: no secret is sent), so the page's Content-Security-Policy keeps `connect-src
 * 'self'` and the provider needs no CORS rule; the token it returns is verified as any JWT before the
 * browser gets it, so a token this API would refuse is refused here, with the reason.
 * @module
 */
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { OidcSignIn, OidcTokenRequest, OidcTokenResponse } from '@atc/contracts';
import { AuthenticationError, type Logger, UnavailableError } from '@atc/platform';
import type { JwtVerifier } from './jwt-verifier';
import type { OidcSettings } from './oidc-settings';

/** What the sign-in routes ask of the provider (ApiServices.oidcSignIn). */
export interface OidcSignInService {
  /** The provider's sign-in for the web app; null while its discovery document cannot be read. */
  signIn(): Promise<OidcSignIn | null>;
  /** The code exchanged at the token endpoint; the token checked as this API checks every JWT. */
  exchangeCode(request: OidcTokenRequest): Promise<OidcTokenResponse>;
}

/** The keys of OpenID Connect Discovery 1.0 §3 that the sign-in uses (others are ignored). */
const DiscoveryDocument = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  end_session_endpoint: z.url().optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});

/** RFC 6749 §5.1; `id_token` from OpenID Connect Core §3.1.3.3. */
const TokenAnswer = z.object({
  access_token: z.string().min(1),
  id_token: z.string().min(1).optional(),
  token_type: z.string(),
  expires_in: z.number().optional(),
});

/** RFC 6749 §5.2. */
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

export interface OidcProviderOptions {
  readonly settings: OidcSettings;
  /** The API's JWT verifier: the provider's token must pass it (issuer, audience, role claim). */
  readonly verify: JwtVerifier;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
}

export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

async function readDiscovery(options: OidcProviderOptions, doFetch: typeof fetch): Promise<OidcSignIn> {
  const { settings } = options;
  const response = await doFetch(discoveryUrlOf(settings.issuer), {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(settings.timeoutMs),
  });
  if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
  const document = DiscoveryDocument.parse(await response.json());
  // OpenID Connect Discovery §4.3: the document must name the issuer it was read from.
  if (document.issuer !== settings.issuer) {
    throw new Error(`discovery names issuer ${document.issuer}, not ${settings.issuer}`);
  }
  const methods = document.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes('S256'))
    throw new Error('the provider does not offer PKCE S256');
  return {
    issuer: document.issuer,
    authorizationEndpoint: document.authorization_endpoint,
    tokenEndpoint: document.token_endpoint,
    clientId: settings.clientId,
    scope: settings.scope,
    endSessionEndpoint: document.end_session_endpoint ?? null,
  };
}

async function postToken(
  tokenEndpoint: string,
  form: URLSearchParams,
  options: OidcProviderOptions,
  doFetch: typeof fetch,
): Promise<z.infer<typeof TokenAnswer>> {
  let response: Response;
  try {
    response = await doFetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(options.settings.timeoutMs),
    });
  } catch (error) {
    throw new UnavailableError('the identity provider did not answer', { cause: error });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return TokenAnswer.parse(body);
  const refusal = TokenError.safeParse(body);
  if (response.status >= 400 && response.status < 500 && refusal.success) {
    // invalid_grant: a used, expired or foreign code, or a verifier that does not match its challenge.
    throw new AuthenticationError(`the identity provider refused the code: ${refusal.data.error}`, {
      details: { error: refusal.data.error },
    });
  }
  throw new UnavailableError(`the identity provider's token endpoint answered HTTP ${response.status}`);
}

export function createOidcProvider(options: OidcProviderOptions): OidcSignInService {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let discovered: Promise<OidcSignIn> | undefined;
  const discover = (): Promise<OidcSignIn> => {
    // One read for concurrent callers; a failed read is forgotten so the next call tries again.
    discovered ??= readDiscovery(options, doFetch).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
  return {
    async signIn() {
      try {
        return await discover();
      } catch (error) {
        options.logger.warn(
          { err: error, issuer: options.settings.issuer },
          'OpenID Connect discovery failed; sign-in with the provider is not offered',
        );
        return null;
      }
    },
    async exchangeCode(request) {
      const provider = await discover().catch((error: unknown) => {
        throw new UnavailableError('the identity provider cannot be discovered', { cause: error });
      });
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code: request.code,
        redirect_uri: request.redirectUri,
        client_id: provider.clientId,
        code_verifier: request.codeVerifier,
      });
      const answer = await postToken(provider.tokenEndpoint, form, options, doFetch);
      const token = options.settings.token === 'id_token' ? answer.id_token : answer.access_token;
      if (token === undefined) throw new AuthenticationError('the identity provider sent no ID token');
      const verified = await options.verify(token);
      if (!verified.ok) {
        throw new AuthenticationError(
          "the identity provider's token is not accepted by this API (issuer, audience or role claim)",
        );
      }
      const { exp } = decodeJwt(token);
      return {
        token,
        name: verified.name,
        role: verified.role,
        expiresAt: typeof exp === 'number' ? new Date(exp * 1000).toISOString() : null,
      };
    },
  };
}
