import { createHash } from 'node:crypto';
import type { OidcSignIn } from '@atc/contracts';
import { beginSignIn, challengeOf, OidcCallbackError, PENDING_KEY, readCallback } from './pkce';

const OIDC: OidcSignIn = {
  issuer: 'https://sso.example/realms/atc',
  authorizationEndpoint: 'https://sso.example/realms/atc/protocol/openid-connect/auth?kc_idp_hint=corp',
  tokenEndpoint: 'https://sso.example/realms/atc/protocol/openid-connect/token',
  clientId: 'atc-web',
  scope: 'openid profile',
  endSessionEndpoint: null,
};
const ORIGIN = 'https://atc.example';

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

function pendingOf(): { state: string; verifier: string; redirectUri: string } {
  return JSON.parse(sessionStorage.getItem(PENDING_KEY)!) as {
    state: string;
    verifier: string;
    redirectUri: string;
  };
}

describe('PKCE (RFC 7636, S256)', () => {
  it("hashes the verifier as RFC 7636's appendix B does", async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('sends the provider the S256 challenge of a fresh 43-character verifier, kept in sessionStorage only', async () => {
    const url = new URL(await beginSignIn(OIDC, ORIGIN));
    const pending = pendingOf();
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://sso.example/realms/atc/protocol/openid-connect/auth',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      kc_idp_hint: 'corp',
      response_type: 'code',
      client_id: 'atc-web',
      redirect_uri: 'https://atc.example/auth/callback',
      scope: 'openid profile',
      state: pending.state,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(localStorage.length).toBe(0);
    // Each sign-in draws new secrets.
    await beginSignIn(OIDC, ORIGIN);
    expect(pendingOf().verifier).not.toBe(pending.verifier);
    expect(pendingOf().state).not.toBe(pending.state);
  });

  it('hands the callback its code and the verifier when the state matches, once', async () => {
    await beginSignIn(OIDC, ORIGIN);
    const { state, verifier } = pendingOf();
    expect(readCallback(`?code=abc&state=${state}`)).toEqual({
      code: 'abc',
      codeVerifier: verifier,
      redirectUri: 'https://atc.example/auth/callback',
    });
    expect(sessionStorage.getItem(PENDING_KEY)).toBeNull();
    expect(() => readCallback(`?code=abc&state=${state}`)).toThrow(/No sign-in was started/);
  });

  it('refuses a callback whose state is not the one this tab sent, and forgets the pending sign-in', async () => {
    await beginSignIn(OIDC, ORIGIN);
    const { state } = pendingOf();
    expect(() => readCallback(`?code=abc&state=${state}x`)).toThrow(OidcCallbackError);
    expect(() => readCallback(`?code=abc&state=${state}`)).toThrow(/No sign-in was started/);
    await beginSignIn(OIDC, ORIGIN);
    expect(() => readCallback('?code=abc')).toThrow(/does not match/);
  });

  it("shows the provider's own refusal", async () => {
    await beginSignIn(OIDC, ORIGIN);
    expect(() =>
      readCallback(`?error=access_denied&error_description=User+cancelled&state=${pendingOf().state}`),
    ).toThrow('The identity provider refused the sign-in: User cancelled');
  });
});
