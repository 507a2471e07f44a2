import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { problem } from '../../testing/fake-fetch';
import { callsTo, inTurn, renderView } from '../live/testing/render-view';

const RELEASED = {
  engaged: false,
  reason: null,
  by: null,
  since: null,
  halts: { global: null, markets: { crypto: null, options: null, futures: null }, lossLatch: null },
};
const HALT = { reason: 'venue outage', by: 'ops-key', since: '2026-12-07T19:00:00.000Z' };
const ENGAGED = {
  ...RELEASED,
  engaged: true,
  reason: HALT.reason,
  by: HALT.by,
  since: HALT.since,
  halts: { ...RELEASED.halts, global: HALT },
};

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
});

function engageForm() {
  return screen.getByRole('form', { name: 'Engage the kill switch' });
}

describe('Kill switch view', () => {
  it('shows a loading state, then the state read from GET /api/kill-switch', async () => {
    renderView('/kill-switch', 'viewer', { 'GET /api/kill-switch': { body: ENGAGED } });
    expect(screen.getByText(/Loading/)).not.toBeNull();
    expect((await screen.findByTestId('kill-switch-state')).textContent).toContain(
      'Engaged by ops-key since',
    );
    expect(screen.getByTestId('kill-switch-state').textContent).toContain('venue outage');
    expect(screen.getByTestId('loss-latch-state').textContent).toContain('Loss latch clear');
  });

  it('shows the API problem with a Retry that reads again', async () => {
    const { calls } = renderView('/kill-switch', 'viewer', {
      'GET /api/kill-switch': inTurn(problem(503, 'Service Unavailable', 'the database is down'), {
        body: RELEASED,
      }),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('the database is down');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByTestId('kill-switch-state')).textContent).toContain('Released');
    expect(callsTo(calls, 'GET /api/kill-switch')).toHaveLength(2);
  });

  it('gives a viewer no engage, release or reset', async () => {
    renderView('/kill-switch', 'viewer', { 'GET /api/kill-switch': { body: ENGAGED } });
    await screen.findByTestId('kill-switch-state');
    expect(screen.queryByRole('button', { name: 'Engage' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Release' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reset loss latch' })).toBeNull();
  });

  it('gives an operator engage but not release or reset', async () => {
    renderView('/kill-switch', 'operator', { 'GET /api/kill-switch': { body: ENGAGED } });
    await screen.findByTestId('kill-switch-state');
    expect(screen.getByRole('button', { name: 'Engage' })).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Release' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reset loss latch' })).toBeNull();
  });

  it('gives an admin release of what is halted and the loss latch reset', async () => {
    renderView('/kill-switch', 'admin', { 'GET /api/kill-switch': { body: ENGAGED } });
    await screen.findByTestId('kill-switch-state');
    expect(screen.getByRole('button', { name: 'Engage' })).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Release' })).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Reset loss latch' })).not.toBeNull();
  });

  it('keeps Engage disabled until the exact word ENGAGE is typed, then posts the reason', async () => {
    const user = userEvent.setup();
    const { calls } = renderView('/kill-switch', 'operator', {
      'GET /api/kill-switch': { body: RELEASED },
      'POST /api/kill-switch/engage': { body: ENGAGED },
    });
    await screen.findByTestId('kill-switch-state');
    const form = engageForm();
    const button = within(form).getByRole('button', { name: 'Engage' });
    await user.type(within(form).getByLabelText('Reason'), 'venue outage');
    expect(button).toHaveProperty('disabled', true);
    const confirm = within(form).getByLabelText(/to confirm/);
    await user.type(confirm, 'engage');
    expect(button).toHaveProperty('disabled', true);
    await user.clear(confirm);
    await user.type(confirm, 'ENGAG');
    expect(button).toHaveProperty('disabled', true);
    await user.type(confirm, 'E');
    expect(button).toHaveProperty('disabled', false);
    await user.click(button);
    await waitFor(() => expect(callsTo(calls, 'POST /api/kill-switch/engage')).toHaveLength(1));
    expect(callsTo(calls, 'POST /api/kill-switch/engage')[0]?.body).toEqual({ reason: 'venue outage' });
  });

  it('asks for the market name to halt one market, and sends that market', async () => {
    const user = userEvent.setup();
    const { calls } = renderView('/kill-switch', 'operator', {
      'GET /api/kill-switch': { body: RELEASED },
      'POST /api/kill-switch/engage': { body: RELEASED },
    });
    await screen.findByTestId('kill-switch-state');
    const form = engageForm();
    await user.selectOptions(within(form).getByLabelText('Scope'), 'options');
    await user.type(within(form).getByLabelText('Reason'), 'chain stale');
    await user.type(within(form).getByLabelText(/to confirm/), 'ENGAGE');
    expect(within(form).getByRole('button', { name: 'Engage' })).toHaveProperty('disabled', true);
    await user.clear(within(form).getByLabelText(/to confirm/));
    await user.type(within(form).getByLabelText(/to confirm/), 'options');
    await user.click(within(form).getByRole('button', { name: 'Engage' }));
    await waitFor(() => expect(callsTo(calls, 'POST /api/kill-switch/engage')).toHaveLength(1));
    expect(callsTo(calls, 'POST /api/kill-switch/engage')[0]?.body).toEqual({
      reason: 'chain stale',
      market: 'options',
    });
  });

  it('keeps Release disabled until RELEASE is typed, and shows a refusal’s problem detail', async () => {
    const user = userEvent.setup();
    renderView('/kill-switch', 'admin', {
      'GET /api/kill-switch': { body: ENGAGED },
      'POST /api/kill-switch/release': problem(403, 'Forbidden', 'the key role operator may not release'),
    });
    await screen.findByTestId('kill-switch-state');
    const form = screen.getByRole('form', { name: 'Release the kill switch' });
    const button = within(form).getByRole('button', { name: 'Release' });
    await user.type(within(form).getByLabelText('Reason'), 'outage over');
    await user.type(within(form).getByLabelText(/to confirm/), 'RELEAS');
    expect(button).toHaveProperty('disabled', true);
    await user.type(within(form).getByLabelText(/to confirm/), 'E');
    await user.click(button);
    expect((await within(form).findByRole('alert')).textContent).toContain(
      'the key role operator may not release',
    );
  });

  it('resets the loss latch after RESET is typed', async () => {
    const user = userEvent.setup();
    const latched = {
      ...RELEASED,
      halts: {
        ...RELEASED.halts,
        lossLatch: {
          trippedAt: '2026-12-07T15:00:00.000Z',
          tradingDay: '2026-12-07',
          realisedPnlUsd: '-250',
        },
      },
    };
    const { calls } = renderView('/kill-switch', 'admin', {
      'GET /api/kill-switch': inTurn({ body: latched }, { body: RELEASED }),
      'POST /api/loss-latch/reset': { body: { cleared: true, status: RELEASED } },
    });
    expect((await screen.findByTestId('loss-latch-state')).textContent).toContain('Loss latch tripped');
    const form = screen.getByRole('form', { name: 'Reset the loss latch' });
    await user.type(within(form).getByLabelText('Reason'), 'loss reviewed');
    expect(within(form).getByRole('button', { name: 'Reset loss latch' })).toHaveProperty('disabled', true);
    await user.type(within(form).getByLabelText(/to confirm/), 'RESET');
    await user.click(within(form).getByRole('button', { name: 'Reset loss latch' }));
    expect((await within(form).findByRole('status')).textContent).toContain('Loss latch reset.');
    expect(callsTo(calls, 'POST /api/loss-latch/reset')[0]?.body).toEqual({ reason: 'loss reviewed' });
    await waitFor(() =>
      expect(screen.getByTestId('loss-latch-state').textContent).toContain('Loss latch clear'),
    );
  });

  it('reads the state again when the stream carries a halt change', async () => {
    renderView('/kill-switch', 'viewer', {
      'GET /api/kill-switch': inTurn({ body: RELEASED }, { body: ENGAGED }),
    });
    expect((await screen.findByTestId('kill-switch-state')).textContent).toContain('Released');
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    act(() => {
      FakeEventSource.latest().open();
      FakeEventSource.latest().emit(
        'halt_changed',
        '41',
        streamEvent('41', 'halt_changed', {
          payload: { scope: 'global', halted: true, reason: 'venue outage', by: 'ops-key' },
        }),
      );
    });
    await waitFor(() => expect(screen.getByTestId('kill-switch-state').textContent).toContain('Engaged'));
  });
});
