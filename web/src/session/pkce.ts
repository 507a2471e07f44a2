/**
 * The browser's half of the OAuth 2.0 authorization-code flow with PKCE (RFC 7636, S256) for a public
 * client: a random verifier and its challenge, the provider's authorization URL with a random `state`,
 * and at the callback the check that the `state` is the one this tab sent (a forged or replayed
 * callback is refused). The verifier and state wait in sessionStorage — this tab only, one use.
 * @module
 */
import type { OidcSignIn } from '@atc/contracts';

const PENDING_KEY = 'atc.oidc.pending';
/** The SPA route the provider redirects back to (registered at the provider as `<origin>/auth/callback`). */
const CALLBACK_PATH = '/auth/callback';

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly redirectUri: string;
}

/** A callback this tab cannot accept: the provider's error, no sign-in pending, or a wrong state. */
class OidcCallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OidcCallbackError';
  }
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes as base64url: 43 characters, within RFC 7636's 43–128 unreserved characters. */
function randomToken(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** BASE64URL(SHA-256(ASCII(verifier))), RFC 7636 §4.2. */
async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The provider's authorization URL for a new sign-in; its verifier and state are kept for the callback. */
async function beginSignIn(
  oidc: OidcSignIn,
  origin: string,
  storage: Storage = sessionStorage,
): Promise<string> {
  const pending: PendingSignIn = {
    state: randomToken(),
    verifier: randomToken(),
    redirectUri: `${origin}${CALLBACK_PATH}`,
  };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(oidc.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: pending.redirectUri,
    scope: oidc.scope,
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function takePending(storage: Storage): PendingSignIn | null {
  const text = storage.getItem(PENDING_KEY);
  // One use: whatever this callback holds, a second one finds nothing.
  storage.removeItem(PENDING_KEY);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<PendingSignIn>;
    if (
      typeof value.state === 'string' &&
      typeof value.verifier === 'string' &&
      typeof value.redirectUri === 'string'
    ) {
      return { state: value.state, verifier: value.verifier, redirectUri: value.redirectUri };
    }
  } catch {
    // A damaged entry is as good as none.
  }
  return null;
}

/** The code of the provider's redirect and the verifier it is bound to; throws an OidcCallbackError otherwise. */
function readCallback(
  search: string,
  storage: Storage = sessionStorage,
): { readonly code: string; readonly codeVerifier: string; readonly redirectUri: string } {
  const params = new URLSearchParams(search);
  const pending = takePending(storage);
  const error = params.get('error');
  if (error !== null) {
    throw new OidcCallbackError(
      `The identity provider refused the sign-in: ${params.get('error_description') ?? error}`,
    );
  }
  if (pending === null) throw new OidcCallbackError('No sign-in was started in this tab: sign in again.');
  if (params.get('state') !== pending.state) {
    throw new OidcCallbackError(
      'The sign-in answer does not match the sign-in this tab started: sign in again.',
    );
  }
  const code = params.get('code');
  if (code === null || code === '') throw new OidcCallbackError('The identity provider sent no code.');
  return { code, codeVerifier: pending.verifier, redirectUri: pending.redirectUri };
}

export { beginSignIn, CALLBACK_PATH, challengeOf, OidcCallbackError, PENDING_KEY, readCallback };
