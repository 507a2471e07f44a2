/**
 * A small OpenID Connect provider for tests, over real HTTP: discovery, a JWKS, an authorization
 * endpoint that "logs in" the user named by `login_hint` and redirects back with a code, and a token
 * endpoint that checks the code, its redirect URI, client and PKCE verifier (S256) before it signs an
 * access token (audience `audience`, the user's role in `atc_role`) and an ID token (audience the
 * client) with ES256 (jose). A code works once.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface FakeOidcUser {
  readonly sub: string;
  /** The `atc_role` claim; absent: the token carries none. */
  readonly role?: string;
}

export interface FakeOidcProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Token requests seen, in order (their form fields). */
  readonly tokenRequests: readonly Record<string, string>[];
  close(): Promise<void>;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly user: FakeOidcUser;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

interface ProviderState {
  readonly clientId: string;
  readonly audience: string;
  readonly users: Readonly<Record<string, FakeOidcUser>>;
  readonly codes: Map<string, PendingCode>;
  readonly tokenRequests: Record<string, string>[];
  readonly sign: (claims: Record<string, unknown>, subject: string, audience: string) => Promise<string>;
}

/** The login: the user named by `login_hint` signs in at once; back to the client with a code. */
function authorize(state: ProviderState, url: URL, response: ServerResponse): void {
  const param = (name: string) => url.searchParams.get(name) ?? '';
  const user = state.users[param('login_hint')];
  if (param('client_id') !== state.clientId || param('response_type') !== 'code' || !user) {
    return json(response, 400, { error: 'invalid_request' });
  }
  if (param('code_challenge_method') !== 'S256' || param('code_challenge') === '') {
    return json(response, 400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
  }
  const code = randomBytes(16).toString('base64url');
  state.codes.set(code, {
    clientId: param('client_id'),
    redirectUri: param('redirect_uri'),
    challenge: param('code_challenge'),
    user,
  });
  const back = new URL(param('redirect_uri'));
  back.searchParams.set('code', code);
  back.searchParams.set('state', param('state'));
  response.writeHead(302, { location: back.toString() });
  response.end();
}

/** The code exchange: one use, the same client and redirect URI, and the verifier of the challenge. */
async function token(
  state: ProviderState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const form = await formOf(request);
  state.tokenRequests.push(form);
  const pending = state.codes.get(form.code ?? '');
  state.codes.delete(form.code ?? '');
  const valid =
    pending !== undefined &&
    form.grant_type === 'authorization_code' &&
    form.client_id === pending.clientId &&
    form.redirect_uri === pending.redirectUri &&
    s256(form.code_verifier ?? '') === pending.challenge;
  if (!valid) return json(response, 400, { error: 'invalid_grant' });
  const claims = pending.user.role === undefined ? {} : { atc_role: pending.user.role };
  json(response, 200, {
    access_token: await state.sign(claims, pending.user.sub, state.audience),
    id_token: await state.sign(claims, pending.user.sub, state.clientId),
    token_type: 'Bearer',
    expires_in: 300,
  });
}

function discovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    end_session_endpoint: `${issuer}/logout`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
}

export async function startFakeOidcProvider(options: {
  readonly clientId: string;
  readonly audience: string;
  readonly users: Readonly<Record<string, FakeOidcUser>>;
}): Promise<FakeOidcProvider> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'fake-1', alg: 'ES256', use: 'sig' };
  let issuer = '';
  const state: ProviderState = {
    ...options,
    codes: new Map(),
    tokenRequests: [],
    sign: (claims, subject, audience) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'fake-1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') return json(response, 200, discovery(issuer));
    if (url.pathname === '/jwks') return json(response, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') return authorize(state, url, response);
    if (url.pathname === '/token' && request.method === 'POST') {
      token(state, request, response).catch(() => json(response, 500, { error: 'server_error' }));
      return undefined;
    }
    return json(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    tokenRequests: state.tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
