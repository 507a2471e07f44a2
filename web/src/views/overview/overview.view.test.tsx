import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { emptyPage, heartbeatFixture, statusFixture, ticketFixture } from '../../testing/api-fixtures';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { fakeFetch, problem } from '../../testing/fake-fetch';
import { renderApp } from '../../testing/render-app';
import type { EquityChartModel } from './equity-model';

// The chart draws on a canvas jsdom has not: the tests read the model the card hands it.
const mockDrawn: EquityChartModel[] = [];
jest.mock('../positions/uplot-charts', () => ({
  EquityChart: ({ model }: { model: EquityChartModel }) => {
    mockDrawn.push(model);
    return <div data-testid="equity-chart" />;
  },
}));

const EQUITY = {
  timeZone: 'America/New_York',
  from: '2026-12-05',
  to: '2026-12-07',
  realisedBefore: '100.1',
  unrealisedPnl: '42',
  unmarkedPositions: 1,
  days: [
    { day: '2026-12-05', realisedPnl: '0', cumulativeRealisedPnl: '100.1', equity: '100.1' },
    { day: '2026-12-06', realisedPnl: '0.2', cumulativeRealisedPnl: '100.3', equity: '100.3' },
    { day: '2026-12-07', realisedPnl: '9.7', cumulativeRealisedPnl: '110', equity: '152' },
  ],
};
const NO_FILL = {
  ...EQUITY,
  realisedBefore: '0',
  unrealisedPnl: '0',
  unmarkedPositions: 0,
  days: EQUITY.days.map((day) => ({ ...day, realisedPnl: '0', cumulativeRealisedPnl: '0', equity: '0' })),
};

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
  mockDrawn.length = 0;
});

/** An API whose GET /api/status answers from a list, one answer per call (the last repeats). */
function apiAnswering(
  statusReplies: Parameters<typeof fakeFetch>[0][string][],
  equity: Parameters<typeof fakeFetch>[0][string] = { body: EQUITY },
) {
  let call = 0;
  const api = fakeFetch({
    'POST /api/stream-tickets': ticketFixture('viewer'),
    'GET /api/status': (request) => {
      const reply = statusReplies[Math.min(call, statusReplies.length - 1)]!;
      call += 1;
      return typeof reply === 'function' ? reply(request) : reply;
    },
    'GET /api/positions': { body: emptyPage },
    'GET /api/pnl/equity': equity,
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

  it('draws the equity curve of the last 30 days, says where it stands, and lists the figures', async () => {
    const { fetch, calls } = apiAnswering([{ body: statusFixture() }]);
    renderApp({ fetch, signedInAs: 'viewer' });
    const card = await screen.findByRole('region', { name: 'Equity curve, last 30 days' });
    expect((await within(card).findByTestId('equity-now')).textContent).toBe('$152.00');
    expect(card.textContent).toContain('$42.00 unrealised; 1 position(s) without a mark left out');
    expect(calls.find((call) => call.url.startsWith('/api/pnl/equity'))?.url).toBe('/api/pnl/equity?days=30');
    await within(card).findByTestId('equity-chart');
    expect(mockDrawn.at(-1)).toEqual({
      xs: [Date.UTC(2026, 11, 5) / 1000, Date.UTC(2026, 11, 6) / 1000, Date.UTC(2026, 11, 7) / 1000],
      equity: [100.1, 100.3, 152],
      realised: [100.1, 100.3, 110],
    });
    const rows = within(card).getAllByRole('row').slice(1);
    expect(rows.map((row) => [...row.children].map((cell) => cell.textContent))).toEqual([
      ['2026-12-05', '$0.00', '$100.10', '$100.10'],
      ['2026-12-06', '$0.20', '$100.30', '$100.30'],
      ['2026-12-07', '$9.70', '$110.00', '$152.00'],
    ]);
  });

  it('says the curve starts with the first trade when there is none', async () => {
    const { fetch } = apiAnswering([{ body: statusFixture() }], { body: NO_FILL });
    renderApp({ fetch, signedInAs: 'viewer' });
    expect(await screen.findByText('No fill yet: the curve starts with the first trade.')).not.toBeNull();
    expect(screen.queryByTestId('equity-chart')).toBeNull();
  });

  it('keeps the rest of the Overview when the curve fails, with a Retry for the curve', async () => {
    let fail = true;
    const { fetch } = apiAnswering([{ body: statusFixture() }], () =>
      fail ? problem(503, 'Service unavailable', 'the ledger is unavailable') : { body: EQUITY },
    );
    renderApp({ fetch, signedInAs: 'viewer' });
    const card = await screen.findByRole('region', { name: 'Equity curve, last 30 days' });
    expect((await within(card).findByRole('alert')).textContent).toContain('the ledger is unavailable');
    expect(screen.getByTestId('pnl-today').textContent).toBe('$12.50');
    fail = false;
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }));
    expect((await within(card).findByTestId('equity-now')).textContent).toBe('$152.00');
  });
});
