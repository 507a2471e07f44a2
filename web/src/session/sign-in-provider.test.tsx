import type { OidcSignIn } from '@atc/contracts';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyPage, statusFixture, ticketFixture } from '../testing/api-fixtures';
import { FakeEventSource } from '../testing/fake-event-source';
import { type FakeCall, fakeFetch, problem } from '../testing/fake-fetch';
import { renderApp } from '../testing/render-app';
import { browserLocation } from './browser-location';
import { PENDING_KEY } from './pkce';
import { saveSession, SESSION_KEY } from './session.storage';

const OIDC: OidcSignIn = {
  issuer: 'https://sso.example/realms/atc',
  authorizationEndpoint: 'https://sso.example/realms/atc/protocol/openid-connect/auth',
  tokenEndpoint: 'https://sso.example/realms/atc/protocol/openid-connect/token',
  clientId: 'atc-web',
  scope: 'openid profile',
  endSessionEndpoint: null,
};

/** An unsigned JWT-shaped token expiring at `exp` (seconds): the web app only reads its `exp`. */
function tokenExpiringAt(exp: number): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '');
  return `${part({ alg: 'ES256' })}.${part({ sub: 'alice', exp })}.c2ln`;
}

function api(extra: Record<string, unknown> = {}) {
  return fakeFetch({
    'GET /api/auth/methods': { body: { apiKey: true, jwt: true, oidc: OIDC } },
    'GET /api/status': { body: statusFixture() },
    'GET /api/positions': { body: emptyPage },
    'POST /api/stream-tickets': (call: FakeCall) =>
      call.headers.Authorization?.startsWith('Bearer ey')
        ? ticketFixture('operator')
        : problem(401, 'x', 'refused'),
    ...(extra as Record<string, never>),
  });
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  FakeEventSource.reset();
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

describe('sign-in with the identity provider', () => {
  it('offers the provider by its host and sends the browser to it with a PKCE challenge and a state', async () => {
    const assign = jest.spyOn(browserLocation, 'assign').mockImplementation(() => undefined);
    jest.spyOn(browserLocation, 'origin').mockReturnValue('https://atc.example');
    const { fetch } = api();
    renderApp({ fetch });
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in with sso.example' }));

    await waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
    const url = new URL(assign.mock.calls[0]![0]);
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY)!) as { state: string };
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('redirect_uri')).toBe('https://atc.example/auth/callback');
    expect(localStorage.length).toBe(0);
    // A JWT may be pasted too.
    expect(screen.getByLabelText('API key or JWT')).toBeTruthy();
  });

  it('offers only the key when the API names no provider (or cannot say)', async () => {
    const { fetch } = api({ 'GET /api/auth/methods': problem(500, 'Internal Server Error', 'x') });
    renderApp({ fetch });
    expect(await screen.findByLabelText('API key')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Sign in with/ })).toBeNull();
  });

  it('at the callback, exchanges the code with the verifier of this tab and signs in with the role', async () => {
    const token = tokenExpiringAt(Math.floor(Date.now() / 1000) + 3600);
    const { fetch, calls } = api({
      'POST /api/auth/oidc/token': {
        body: {
          token,
          name: 'alice',
          role: 'operator',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
    });
    sessionStorage.setItem(
      PENDING_KEY,
      JSON.stringify({
        state: 's-1',
        verifier: 'v'.repeat(43),
        redirectUri: 'https://atc.example/auth/callback',
      }),
    );
    renderApp({ fetch, route: '/auth/callback?code=c-1&state=s-1' });

    expect((await screen.findByTestId('role')).textContent).toBe('operator');
    expect(calls.find((call) => call.url === '/api/auth/oidc/token')?.body).toEqual({
      code: 'c-1',
      codeVerifier: 'v'.repeat(43),
      redirectUri: 'https://atc.example/auth/callback',
    });
    expect(sessionStorage.getItem(SESSION_KEY)).toContain(token);
    expect(localStorage.length).toBe(0);
    // The token is the bearer from now on.
    await waitFor(() =>
      expect(calls.find((call) => call.url === '/api/status')?.headers.Authorization).toBe(`Bearer ${token}`),
    );
  });

  it('refuses a callback whose state this tab did not send, without exchanging the code', async () => {
    const { fetch, calls } = api();
    sessionStorage.setItem(
      PENDING_KEY,
      JSON.stringify({
        state: 's-1',
        verifier: 'v'.repeat(43),
        redirectUri: 'https://atc.example/auth/callback',
      }),
    );
    renderApp({ fetch, route: '/auth/callback?code=c-1&state=forged' });

    expect((await screen.findByRole('alert')).textContent).toContain('does not match');
    expect(calls.some((call) => call.url === '/api/auth/oidc/token')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Back to sign-in' }));
    expect(await screen.findByLabelText('API key or JWT')).toBeTruthy();
  });

  it('keeps a pasted JWT with the expiry its exp claim names', async () => {
    const { fetch } = api();
    const exp = Math.floor(Date.now() / 1000) + 120;
    const token = tokenExpiringAt(exp);
    renderApp({ fetch });
    await userEvent.type(await screen.findByLabelText('API key or JWT'), token);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByTestId('role')).textContent).toBe('operator');
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY)!)).toEqual({
      key: token,
      role: 'operator',
      expiresAt: new Date(exp * 1000).toISOString(),
    });
  });

  it('signs out when the session expires', () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z'), doNotFake: ['queueMicrotask'] });
    const { fetch } = api();
    saveSession({ key: 'eyJ.a.b', role: 'viewer', expiresAt: '2026-12-07T12:01:00.000Z' });
    // A page without a view: nothing suspends while the clock is fake.
    renderApp({ fetch, route: '/no-view-here' });
    expect(screen.getByTestId('role').textContent).toBe('viewer');
    act(() => jest.advanceTimersByTime(59_000));
    expect(screen.queryByTestId('role')).not.toBeNull();
    act(() => jest.advanceTimersByTime(2_000));
    expect(screen.queryByTestId('role')).toBeNull();
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('does not load an expired session', () => {
    const { fetch } = api();
    saveSession({ key: 'eyJ.a.b', role: 'viewer', expiresAt: new Date(Date.now() - 1000).toISOString() });
    renderApp({ fetch });
    expect(screen.queryByTestId('role')).toBeNull();
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
  });
});

describe('sign-in with the identity provider outside a secure context', () => {
  it('says HTTPS is needed when the browser offers no Web Crypto, and does not leave the page', async () => {
    const assign = jest.spyOn(browserLocation, 'assign').mockImplementation(() => undefined);
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle')!;
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
    const secure = Object.getOwnPropertyDescriptor(globalThis, 'isSecureContext');
    Object.defineProperty(globalThis, 'isSecureContext', { value: false, configurable: true });
    try {
      const { fetch } = api();
      renderApp({ fetch });
      await userEvent.click(await screen.findByRole('button', { name: 'Sign in with sso.example' }));
      expect((await screen.findByRole('alert')).textContent).toBe(
        'Signing in with the identity provider needs HTTPS (or localhost).',
      );
      expect(assign).not.toHaveBeenCalled();
    } finally {
      Object.defineProperty(globalThis.crypto, 'subtle', subtle);
      if (secure) Object.defineProperty(globalThis, 'isSecureContext', secure);
      else delete (globalThis as { isSecureContext?: boolean }).isSecureContext;
    }
  });
});
