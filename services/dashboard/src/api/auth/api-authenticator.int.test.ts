import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { fixedClock, type Clock } from '@atc/contracts';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { createApiKey, issueStreamTicket, revokeApiKey } from '@atc/trading';
import type { Authenticator } from '../api-route';
import { createAuthenticator } from './api-authenticator';
import { authSettingsOf, type AuthSettings } from './auth-settings';

const T0 = new Date('2026-03-02T15:00:00.000Z');
const logger = silentLogger();
const SECRET = 'a-shared-hs256-secret-of-32-bytes-at-least!';
const HEARTBEAT = 'heartbeat-token-current-0123456789abcdef';
const HEARTBEAT_OLD = 'heartbeat-token-previous-0123456789abcdef';

describe('the operator API authenticator', () => {
  let db: TestDatabase;
  const keys: Record<string, string> = {};
  let clock: Clock = fixedClock(T0);
  const movable: Clock = { now: () => clock.now() };
  const build = (settings: AuthSettings): Authenticator =>
    createAuthenticator({ pool: db.pool, clock: movable, logger, settings });
  let auth: Authenticator;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      keys[role] = (await createApiKey(db.pool, { name: `${role}-key`, role, actor: 'test' }, movable)).key;
    }
    keys.expired = (
      await createApiKey(
        db.pool,
        { name: 'short', role: 'admin', actor: 'test', lifetimeMs: 3_600_000 },
        movable,
      )
    ).key;
    keys.revoked = (await createApiKey(db.pool, { name: 'gone', role: 'admin', actor: 'test' }, movable)).key;
    await revokeApiKey(db.pool, { name: 'gone', actor: 'test' }, movable);
    auth = build({ jwt: undefined, heartbeatTokens: [HEARTBEAT, HEARTBEAT_OLD] });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(() => {
    clock = fixedClock(T0.getTime() + 7_200_000);
  });

  const header = (authorization: string | undefined) => ({ authorization, ticket: undefined });

  it.each(['viewer', 'operator', 'admin'] as const)('accepts a %s key as that role', async (role) => {
    expect(await auth.authenticate(header(`Bearer ${keys[role]}`), 'read')).toEqual({
      ok: true,
      principal: { kind: 'api_key', name: `${role}-key`, role },
    });
  });

  it.each([
    ['missing', undefined],
    ['missing', ''],
    ['malformed', 'Basic dXNlcjpwYXNz'],
    ['malformed', 'Bearer'],
    ['malformed', 'Bearer two words'],
    ['unknown', 'Bearer atc_notakey'],
    ['unknown', 'Bearer some-opaque-token'],
  ])('answers %s for %j', async (reason, authorization) => {
    expect(await auth.authenticate(header(authorization), 'read')).toEqual({ ok: false, reason });
  });

  it('answers expired and revoked for such keys', async () => {
    expect(await auth.authenticate(header(`Bearer ${keys.expired}`), 'read')).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await auth.authenticate(header(`Bearer ${keys.revoked}`), 'read')).toEqual({
      ok: false,
      reason: 'revoked',
    });
  });

  it('takes a ticket only for stream.connect, once, within 60 s', async () => {
    const { ticket } = await issueStreamTicket(db.pool, { name: 'viewer-key', role: 'viewer' }, movable);
    expect(await auth.authenticate({ authorization: undefined, ticket }, 'read')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(await auth.authenticate({ authorization: undefined, ticket }, 'stream.connect')).toEqual({
      ok: true,
      principal: { kind: 'stream_ticket', name: 'viewer-key', role: 'viewer' },
    });
    expect(await auth.authenticate({ authorization: undefined, ticket }, 'stream.connect')).toEqual({
      ok: false,
      reason: 'ticket_used',
    });
    const late = await issueStreamTicket(db.pool, { name: 'viewer-key', role: 'viewer' }, movable);
    clock = fixedClock(clock.now().getTime() + 60_000);
    expect(
      await auth.authenticate({ authorization: undefined, ticket: late.ticket }, 'stream.connect'),
    ).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('never takes an API key as a ticket', async () => {
    expect(
      await auth.authenticate({ authorization: undefined, ticket: keys.admin! }, 'stream.connect'),
    ).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  it('opens the heartbeat route with the current or previous token only', async () => {
    for (const token of [HEARTBEAT, HEARTBEAT_OLD]) {
      expect(await auth.authenticate(header(`Bearer ${token}`), 'heartbeat_token')).toMatchObject({
        ok: true,
        principal: { kind: 'heartbeat_token' },
      });
    }
    expect(await auth.authenticate(header(`Bearer ${HEARTBEAT}x`), 'heartbeat_token')).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await auth.authenticate(header(`Bearer ${keys.admin}`), 'heartbeat_token')).toEqual({
      ok: false,
      reason: 'unknown',
    });
    // …and the heartbeat token opens nothing else.
    expect(await auth.authenticate(header(`Bearer ${HEARTBEAT}`), 'read')).toEqual({
      ok: false,
      reason: 'unknown',
    });
    const off = build({ jwt: undefined, heartbeatTokens: [] });
    expect(await off.authenticate(header(`Bearer ${HEARTBEAT}`), 'heartbeat_token')).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  describe('JWT', () => {
    const base = {
      AUTH_JWT_ISSUER: 'https://idp.example',
      AUTH_JWT_AUDIENCE: 'atc',
      AUTH_JWT_ROLE_CLAIM: 'atc_role',
      API_KEY_CACHE_MS: 0,
    };
    const sign = (
      claims: Record<string, unknown>,
      key: Parameters<SignJWT['sign']>[0],
      alg: string,
      kid?: string,
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
        .setIssuer((claims.iss as string | undefined) ?? base.AUTH_JWT_ISSUER)
        .setAudience((claims.aud as string | undefined) ?? base.AUTH_JWT_AUDIENCE)
        .setSubject('alice@example.com')
        .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
        .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 300)
        .sign(key);

    it('accepts an HS256 token with the configured issuer, audience and role claim', async () => {
      const jwtAuth = build(authSettingsOf({ ...base, AUTH_JWT_SECRET: SECRET }));
      const secret = new TextEncoder().encode(SECRET);
      const good = await sign({ atc_role: 'operator' }, secret, 'HS256');
      expect(await jwtAuth.authenticate(header(`Bearer ${good}`), 'read')).toEqual({
        ok: true,
        principal: { kind: 'jwt', name: 'alice@example.com', role: 'operator' },
      });
      const bad = [
        await sign({ atc_role: 'operator', iss: 'https://evil.example' }, secret, 'HS256'),
        await sign({ atc_role: 'operator', aud: 'someone-else' }, secret, 'HS256'),
        await sign({ atc_role: 'root' }, secret, 'HS256'),
        await sign({}, secret, 'HS256'),
        await sign({ atc_role: 'admin' }, new TextEncoder().encode(`${SECRET}-other`), 'HS256'),
      ];
      for (const token of bad) {
        expect(await jwtAuth.authenticate(header(`Bearer ${token}`), 'read')).toEqual({
          ok: false,
          reason: 'invalid_token',
        });
      }
      clock = fixedClock(clock.now().getTime() + 301_000);
      expect(await jwtAuth.authenticate(header(`Bearer ${good}`), 'read')).toEqual({
        ok: false,
        reason: 'invalid_token',
      });
      // API keys keep working beside JWT.
      expect(await jwtAuth.authenticate(header(`Bearer ${keys.viewer}`), 'read')).toMatchObject({ ok: true });
    });

    it('verifies against a JWKS served over HTTP', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      const server: Server = createServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const jwtAuth = build(
          authSettingsOf({ ...base, AUTH_JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }),
        );
        const token = await sign({ atc_role: 'admin' }, privateKey, 'ES256', 'k1');
        expect(await jwtAuth.authenticate(header(`Bearer ${token}`), 'read')).toEqual({
          ok: true,
          principal: { kind: 'jwt', name: 'alice@example.com', role: 'admin' },
        });
        const stranger = (await generateKeyPair('ES256')).privateKey;
        const forged = await sign({ atc_role: 'admin' }, stranger, 'ES256', 'k1');
        expect(await jwtAuth.authenticate(header(`Bearer ${forged}`), 'read')).toEqual({
          ok: false,
          reason: 'invalid_token',
        });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('refuses JWT settings without an issuer or audience, or with two key sources', () => {
      expect(() =>
        authSettingsOf({ AUTH_JWT_ROLE_CLAIM: 'atc_role', API_KEY_CACHE_MS: 0, AUTH_JWT_SECRET: SECRET }),
      ).toThrow(
        /AUTH_JWT_ISSUER: is required[\s\S]*AUTH_JWT_AUDIENCE: is required|AUTH_JWT_AUDIENCE[\s\S]*AUTH_JWT_ISSUER/,
      );
      expect(() =>
        authSettingsOf({ ...base, AUTH_JWT_SECRET: SECRET, AUTH_JWT_JWKS_URL: 'https://idp.example/jwks' }),
      ).toThrow(/not both/);
      expect(authSettingsOf({ AUTH_JWT_ROLE_CLAIM: 'atc_role', API_KEY_CACHE_MS: 5000 })).toEqual({
        jwt: undefined,
        heartbeatTokens: [],
        apiKeyCacheMs: 5000,
      });
    });
  });
});
