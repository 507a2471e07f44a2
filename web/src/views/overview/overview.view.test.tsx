import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyPage, heartbeatFixture, statusFixture, ticketFixture } from '../../testing/api-fixtures';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { fakeFetch, problem } from '../../testing/fake-fetch';
import { renderApp } from '../../testing/render-app';

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
});

/** An API whose GET /api/status answers from a list, one answer per call (the last repeats). */
function apiAnswering(statusReplies: Parameters<typeof fakeFetch>[0][string][]) {
  let call = 0;
  const api = fakeFetch({
    'POST /api/stream-tickets': ticketFixture('viewer'),
    'GET /api/status': (request) => {
      const reply = statusReplies[Math.min(call, statusReplies.length - 1)]!;
      call += 1;
      return typeof reply === 'function' ? reply(request) : reply;
    },
    'GET /api/positions': { body: emptyPage },
  });
  const statusCalls = () => api.calls.filter((request) => request.url === '/api/status').length;
  return { ...api, statusCalls };
}

describe('Overview view', () => {
  it("shows an API error's problem detail with a Retry that loads the view", async () => {
    // React reports an error its boundary caught on console.error; here that error is the point.
    const reported = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { fetch } = apiAnswering([
      problem(503, 'Service unavailable', 'the database is unavailable; retry shortly'),
      { body: statusFixture() },
    ]);
    renderApp({ fetch, signedInAs: 'viewer' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Service unavailable');
    expect(alert.textContent).toContain('the database is unavailable; retry shortly');

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByTestId('pnl-today')).textContent).toBe('$12.50');
    expect(reported).toHaveBeenCalled();
    reported.mockRestore();
  });

  it('refetches on event: reset', async () => {
    const { fetch, statusCalls } = apiAnswering([
      { body: statusFixture({ realisedToday: '1.00' }) },
      { body: statusFixture({ realisedToday: '7.00' }) },
    ]);
    renderApp({ fetch, signedInAs: 'viewer' });
    expect((await screen.findByTestId('pnl-today')).textContent).toBe('$1.00');
    expect(statusCalls()).toBe(1);

    act(() => FakeEventSource.latest().emit('reset', '', { reason: 'slow_client' }));
    expect((await screen.findByText('$7.00', { selector: '[data-testid="pnl-today"]' })).textContent).toBe(
      '$7.00',
    );
    expect(statusCalls()).toBe(2);
  });

  it('folds a halt_changed event into the status: the kill switch shows engaged', async () => {
    const { fetch } = apiAnswering([
      { body: statusFixture() },
      { body: statusFixture({ killSwitch: true }) },
    ]);
    renderApp({ fetch, signedInAs: 'viewer' });
    expect((await screen.findByTestId('kill-switch')).textContent).toMatch(/released/);
    const source = FakeEventSource.latest();
    act(() => {
      source.open();
      source.emit('halt_changed', '9', streamEvent('9', 'halt_changed'));
    });
    expect((await screen.findByText(/Kill switch engaged by ops/)).textContent).toContain('drill');
  });

  it('shows the last heartbeat with its phases in order and its errors', async () => {
    const { fetch } = apiAnswering([{ body: statusFixture({ heartbeat: heartbeatFixture }) }]);
    renderApp({ fetch, signedInAs: 'viewer' });
    const phases = await screen.findByRole('list', { name: 'Phases' });
    expect(
      within(phases)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['evaluate_triggers success 41 ms', 'reconcile failed 760 ms']);
    expect(screen.getByText(/budget_exceeded/).textContent).toBe(
      'reconcile: budget_exceeded — over its 500 ms budget',
    );
  });

  it('shows a banner while the stream is down', async () => {
    const { fetch } = apiAnswering([{ body: statusFixture() }]);
    renderApp({ fetch, signedInAs: 'viewer' });
    await screen.findByTestId('pnl-today');
    expect(screen.queryByText(/disconnected/)).toBeNull();
    act(() => FakeEventSource.latest().drop());
    expect((await screen.findByText(/disconnected/)).textContent).toBe(
      'Live stream disconnected — reconnecting…',
    );
  });
});
