/**
 * The web app's sign-in with an OpenID Connect provider, end to end over real HTTP: a fake provider
 * (discovery, JWKS, authorization and token endpoints, ES256 tokens) and the real dashboard app
 * configured against it, on the real database. The browser's part (PKCE verifier and challenge, the
 * redirect, the state) is played here with node:crypto; the web app's own code for it has component
 * tests (web/src/session/pkce.test.ts).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthMethods, OidcTokenResponse, StreamTicket, systemClock } from '@atc/contracts';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { apiRoutes } from '../routes';
import { type RunningApi, startApi } from '../testing/test-api';
import { createAuthenticator } from './api-authenticator';
import { authSettingsOf } from './auth-settings';
import { signInMethodsOf } from './sign-in-methods';
import { type FakeOidcProvider, startFakeOidcProvider } from './testing/fake-oidc-provider';

const CLIENT_ID = 'atc-web';
const AUDIENCE = 'atc-api';
const REDIRECT_URI = 'http://127.0.0.1:8080/auth/callback';

describe('sign-in with an OpenID Connect provider (authorization code + PKCE)', () => {
  let db: TestDatabase;
  let provider: FakeOidcProvider;
  let api: RunningApi;
  beforeAll(async () => {
    db = await createTestDatabase();
    provider = await startFakeOidcProvider({
      clientId: CLIENT_ID,
      audience: AUDIENCE,
      users: {
        alice: { sub: 'alice@example.com', role: 'operator' },
        victor: { sub: 'victor@example.com', role: 'viewer' },
        nobody: { sub: 'nobody@example.com' },
      },
    });
    const logger = captureLogger('fatal').logger;
    const auth = authSettingsOf({
      AUTH_JWT_JWKS_URL: provider.jwksUrl,
      AUTH_JWT_ISSUER: provider.issuer,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      AUTH_JWT_ROLE_CLAIM: 'atc_role',
      API_KEY_CACHE_MS: 0,
    });
    const oidc = {
      AUTH_OIDC_CLIENT_ID: CLIENT_ID,
      AUTH_OIDC_SCOPE: 'openid profile',
      AUTH_OIDC_TOKEN: 'access_token' as const,
      AUTH_OIDC_TIMEOUT_MS: 2_000,
    };
    api = await startApi({
      routes: apiRoutes,
      pool: db.pool,
      logger,
      clock: systemClock,
      authenticator: createAuthenticator({ pool: db.pool, clock: systemClock, logger, settings: auth }),
      services: { signIn: signInMethodsOf(oidc, auth.jwt, { clock: systemClock, logger }) },
    });
  });
  afterAll(async () => {
    await api.close();
    await provider.close();
    await db.drop();
  });

  const methods = async () =>
    AuthMethods.parse(await (await fetch(`${api.baseUrl}/api/auth/methods`)).json());

  /** The browser's part: a verifier, its S256 challenge, the provider's login, the redirect's code. */
  async function authorize(user: string, options: { challengeOf?: string } = {}) {
    const oidc = (await methods()).oidc!;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256')
      .update(options.challengeOf ?? verifier)
      .digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const url = new URL(oidc.authorizationEndpoint);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: oidc.clientId,
      redirect_uri: REDIRECT_URI,
      scope: oidc.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: user,
    })) {
      url.searchParams.set(name, value);
    }
    const login = await fetch(url, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const back = new URL(login.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe(state);
    return { code: back.searchParams.get('code')!, verifier };
  }

  const exchange = (body: unknown) =>
    fetch(`${api.baseUrl}/api/auth/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('names the provider from its discovery document, without credentials', async () => {
    expect(await methods()).toEqual({
      apiKey: true,
      jwt: true,
      oidc: {
        issuer: provider.issuer,
        authorizationEndpoint: `${provider.issuer}/authorize`,
        tokenEndpoint: `${provider.issuer}/token`,
        clientId: CLIENT_ID,
        scope: 'openid profile',
        endSessionEndpoint: `${provider.issuer}/logout`,
      },
    });
  });

  it('exchanges the code for a token the API accepts with the role the provider gave', async () => {
    const { code, verifier } = await authorize('alice');
    const answer = await exchange({ code, codeVerifier: verifier, redirectUri: REDIRECT_URI });
    expect(answer.status).toBe(200);
    const signedIn = OidcTokenResponse.parse(await answer.json());
    expect(signedIn).toMatchObject({ name: 'alice@example.com', role: 'operator' });
    expect(Date.parse(signedIn.expiresAt!)).toBeGreaterThan(Date.now());
    // The dashboard sent the provider the public client's fields and the verifier, no secret.
    expect(provider.tokenRequests.at(-1)).toEqual({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    });

    const bearer = { authorization: `Bearer ${signedIn.token}` };
    const status = await fetch(`${api.baseUrl}/api/status`, { headers: bearer });
    expect(status.status).toBe(200);
    const ticket = await fetch(`${api.baseUrl}/api/stream-tickets`, { method: 'POST', headers: bearer });
    expect(StreamTicket.parse(await ticket.json()).role).toBe('operator');
    // An operator may not release the kill switch: the provider's role is the one the API applies.
    const release = await fetch(`${api.baseUrl}/api/kill-switch/release`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'test' }),
    });
    expect(release.status).toBe(403);
  });

  it('gives a viewer of the provider a viewer token', async () => {
    const { code, verifier } = await authorize('victor');
    const signedIn = OidcTokenResponse.parse(
      await (await exchange({ code, codeVerifier: verifier, redirectUri: REDIRECT_URI })).json(),
    );
    expect(signedIn.role).toBe('viewer');
  });

  it('refuses a verifier that does not match the challenge, and a code used twice (401)', async () => {
    const stolen = await authorize('alice', { challengeOf: randomBytes(32).toString('base64url') });
    const refused = await exchange({
      code: stolen.code,
      codeVerifier: stolen.verifier,
      redirectUri: REDIRECT_URI,
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('invalid_grant');

    const { code, verifier } = await authorize('alice');
    expect((await exchange({ code, codeVerifier: verifier, redirectUri: REDIRECT_URI })).status).toBe(200);
    expect((await exchange({ code, codeVerifier: verifier, redirectUri: REDIRECT_URI })).status).toBe(401);
  });

  it('refuses a token without an atc role, saying why', async () => {
    const { code, verifier } = await authorize('nobody');
    const refused = await exchange({ code, codeVerifier: verifier, redirectUri: REDIRECT_URI });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('role claim');
  });
});
