import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyPage, statusFixture, ticketFixture } from '../testing/api-fixtures';
import { FakeEventSource } from '../testing/fake-event-source';
import { type FakeCall, fakeFetch, problem } from '../testing/fake-fetch';
import { renderApp } from '../testing/render-app';
import { SESSION_KEY } from './session.storage';

const GOOD_KEY = 'atc_k_operator_good';

function api() {
  return fakeFetch({
    'POST /api/stream-tickets': (call: FakeCall) =>
      call.headers.Authorization === `Bearer ${GOOD_KEY}`
        ? ticketFixture('operator')
        : call.headers.Authorization === 'Bearer atc_test_viewer'
          ? ticketFixture('viewer')
          : problem(401, 'Not authenticated', 'the API key is unknown, revoked or expired'),
    'GET /api/status': { body: statusFixture() },
    'GET /api/positions': { body: emptyPage },
  });
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  FakeEventSource.reset();
});

describe('sign-in', () => {
  it('verifies the key, shows its role, keeps it in sessionStorage and never in localStorage', async () => {
    const { fetch, calls } = api();
    const setItem = jest.spyOn(Storage.prototype, 'setItem');
    renderApp({ fetch });
    await userEvent.type(screen.getByLabelText('API key'), GOOD_KEY);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByTestId('role')).textContent).toBe('operator');
    // The route refuses a body: the ticket request sends none.
    expect(calls.find((call) => call.method === 'POST')).toMatchObject({
      url: '/api/stream-tickets',
      body: undefined,
    });
    expect(sessionStorage.getItem(SESSION_KEY)).toContain(GOOD_KEY);
    expect(localStorage.length).toBe(0);
    // Every write went to sessionStorage: none to localStorage, not even for a moment.
    expect(setItem.mock.instances.length).toBeGreaterThan(0);
    expect(setItem.mock.instances.every((storage: unknown) => storage === sessionStorage)).toBe(true);
    setItem.mockRestore();
  });

  it("shows the API's problem detail for a wrong key and keeps nothing", async () => {
    const { fetch } = api();
    renderApp({ fetch });
    await userEvent.type(screen.getByLabelText('API key'), 'atc_k_wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toBe('the API key is unknown, revoked or expired');
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
    expect(screen.queryByTestId('role')).toBeNull();
  });

  it('sign out clears the key and returns to the sign-in form', async () => {
    const { fetch } = api();
    renderApp({ fetch, signedInAs: 'viewer' });
    expect((await screen.findByTestId('role')).textContent).toBe('viewer');
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(screen.getByLabelText('API key')).toBeTruthy();
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('signs out when the API refuses the key (revoked since)', async () => {
    const { fetch } = fakeFetch({
      'POST /api/stream-tickets': problem(401, 'Not authenticated', 'the API key is revoked'),
      'GET /api/status': problem(401, 'Not authenticated', 'the API key is revoked'),
      'GET /api/positions': problem(401, 'Not authenticated', 'the API key is revoked'),
    });
    renderApp({ fetch, signedInAs: 'operator' });
    expect(await screen.findByLabelText('API key')).toBeTruthy();
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('sends the key as a bearer token on every read', async () => {
    const { fetch, calls } = api();
    renderApp({ fetch, signedInAs: 'viewer' });
    expect((await screen.findByTestId('pnl-today')).textContent).toBe('$12.50');
    const status = calls.find((call) => call.url === '/api/status');
    expect(status?.headers.Authorization).toBe('Bearer atc_test_viewer');
  });
});
