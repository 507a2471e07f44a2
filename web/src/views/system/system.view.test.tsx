import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEventSource, streamEvent } from '../../testing/fake-event-source';
import { problem } from '../../testing/fake-fetch';
import { callsTo, inTurn, renderView } from '../live/testing/render-view';

const RUN = {
  id: '6a1f2c3e-0000-4000-8000-000000000001',
  status: 'partial_failure',
  owner: 'heartbeat-1',
  startedAt: '2026-12-07T12:00:00.000Z',
  finishedAt: '2026-12-07T12:00:02.000Z',
  durationMs: 2000,
  errors: [{ phase: 'reconcile', code: 'venue_unavailable', message: 'tradier timed out' }],
  phases: [
    { name: 'proposals', status: 'success', durationMs: 120 },
    { name: 'reconcile', status: 'failed', durationMs: 1850 },
  ],
};

const OLD_RUN = {
  ...RUN,
  id: '6a1f2c3e-0000-4000-8000-000000000002',
  status: 'success',
  startedAt: '2026-12-07T11:55:00.000Z',
  finishedAt: '2026-12-07T11:55:01.000Z',
  durationMs: 1000,
  errors: [],
  phases: [{ name: 'proposals', status: 'success', durationMs: 90 }],
};
const OLDEST_RUN = {
  ...OLD_RUN,
  id: '6a1f2c3e-0000-4000-8000-000000000003',
  startedAt: '2026-12-07T11:50:00.000Z',
};
const RUNS = { items: [RUN, OLD_RUN], nextCursor: null };

function status(overrides: Record<string, unknown> = {}) {
  return {
    asOf: '2026-12-07T12:00:05.000Z',
    markets: [],
    positions: [],
    pnl: {
      tradingDay: '2026-12-07',
      timeZone: 'America/New_York',
      realisedToday: '0',
      realisedTodayByMarket: {},
      unrealised: '0',
      unmarkedPositions: 0,
    },
    queue: [{ market: 'crypto', status: 'queued', count: 3 }],
    heartbeat: { lastRun: RUN },
    breakers: [
      {
        venue: 'tradier',
        reporter: 'worker-options-1',
        state: 'open',
        reportedAt: '2026-12-07T12:00:00.000Z',
      },
      {
        venue: 'jupiter',
        reporter: 'worker-crypto-1',
        state: 'closed',
        reportedAt: '2026-12-07T12:00:00.000Z',
      },
    ],
    halts: { global: null, markets: { crypto: null, options: null, futures: null }, lossLatch: null },
    reconciliation: { count: 1, oldestAgeSeconds: 90 },
    workers: [
      {
        worker: 'worker-crypto-1',
        markets: ['crypto'],
        steps: 2,
        leaseExpiresAt: '2026-12-07T12:01:00.000Z',
      },
    ],
    ...overrides,
  };
}

const STEP_ID = '0b7c7d7e-0000-4000-8000-00000000000a';
const ITEM = {
  stepId: STEP_ID,
  missionId: '0b7c7d7e-0000-4000-8000-00000000000b',
  market: 'options',
  attempt: 3,
  maxAttempts: 3,
  lastError: 'order status unknown after timeout',
  waitingSince: '2026-12-07T11:58:35.000Z',
  ageSeconds: 90,
  order: {
    clientOrderId: 'atc-opt-1',
    venueOrderId: null,
    symbol: 'SPY261218C00600000',
    side: 'buy',
    quantity: '1',
    status: 'submitted',
    filledQuantity: '0',
    createdAt: '2026-12-07T11:58:30.000Z',
  },
};
const QUEUE = { items: [ITEM], nextCursor: null };
const EMPTY = { items: [], nextCursor: null };
const BASE = { 'GET /api/heartbeat/runs': { body: RUNS }, 'GET /api/reconciliation': { body: EMPTY } };

beforeEach(() => {
  sessionStorage.clear();
  FakeEventSource.reset();
});

describe('System view', () => {
  it('shows a loading state, then workers, breakers by venue, queue and the heartbeat run', async () => {
    renderView('/system', 'viewer', {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/reconciliation': { body: QUEUE },
    });
    expect(screen.getByText(/Loading/)).not.toBeNull();
    const workers = await screen.findByRole('region', { name: 'Workers seen' });
    expect(workers.textContent).toContain('worker-crypto-1');
    const breakers = screen.getByRole('region', { name: 'Breakers by venue' });
    expect(within(breakers).getByRole('heading', { name: 'tradier' })).not.toBeNull();
    expect(breakers.textContent).toContain('open');
    expect(screen.getByRole('region', { name: 'Queue depth' }).textContent).toContain('queued');
    const runs = await screen.findByRole('region', { name: 'Heartbeat runs' });
    expect(runs.textContent).toContain('partial_failure');
    expect(runs.textContent).toContain('2000 ms');
    expect(runs.textContent).toContain('reconcile: venue_unavailable');
    const rows = within(runs).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.className)).toEqual(['failed-run', '']);
    expect(
      within(rows[0]!)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['proposals success 120 ms', 'reconcile failed 1850 ms']);
    expect(within(runs).getByRole('img', { name: 'Last 2 runs, 1 failed' })).not.toBeNull();
    expect((await screen.findByRole('article', { name: `Step ${STEP_ID}` })).textContent).toContain(
      'atc-opt-1',
    );
  });

  it('says so when nothing runs and nothing waits', async () => {
    renderView('/system', 'operator', {
      ...BASE,
      'GET /api/status': {
        body: status({ queue: [], breakers: [], workers: [], heartbeat: { lastRun: null } }),
      },
      'GET /api/reconciliation': { body: EMPTY },
      'GET /api/heartbeat/runs': { body: EMPTY },
    });
    expect(await screen.findByText('No worker holds a step now.')).not.toBeNull();
    expect(screen.getByText('No breaker reported yet.')).not.toBeNull();
    expect(screen.getByText('The queue is empty.')).not.toBeNull();
    expect(screen.getByText('No heartbeat has run yet.')).not.toBeNull();
    expect(await screen.findByText('Nothing waits for reconciliation.')).not.toBeNull();
  });

  it('shows the API problem with a Retry that reads again', async () => {
    renderView('/system', 'viewer', {
      ...BASE,
      'GET /api/status': inTurn(problem(500, 'Internal Server Error', 'quote the request id'), {
        body: status(),
      }),
      'GET /api/reconciliation': { body: EMPTY },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('quote the request id');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Workers seen' })).not.toBeNull();
  });

  it('gives a viewer no Resolve, and an operator one', async () => {
    const routes = {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/reconciliation': { body: QUEUE },
    };
    const viewer = renderView('/system', 'viewer', routes);
    await screen.findByRole('article', { name: `Step ${STEP_ID}` });
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
    viewer.unmount();
    sessionStorage.clear();
    renderView('/system', 'operator', routes);
    expect(await screen.findByRole('button', { name: 'Resolve' })).not.toBeNull();
  });

  it('resolves with the body its schema asks: outcome, evidence, and the fill declared', async () => {
    const user = userEvent.setup();
    const { calls } = renderView('/system', 'operator', {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/reconciliation': inTurn({ body: QUEUE }, { body: EMPTY }),
      [`POST /api/reconciliation/${STEP_ID}/resolve`]: {
        body: {
          stepId: STEP_ID,
          from: 'needs_reconciliation',
          to: 'succeeded',
          by: 'ops-key',
          auditId: '77',
          declaration: {
            source: 'operator_declared',
            outcome: 'filled',
            evidence: 'fill in the venue blotter',
            venueOrderId: 'T-123',
            filledQuantity: '1',
            averagePrice: '2.35',
            by: 'ops-key',
            at: '2026-12-07T12:01:00.000Z',
          },
        },
      },
    });
    const form = await screen.findByRole('form', { name: `Resolve step ${STEP_ID}` });
    const button = within(form).getByRole('button', { name: 'Resolve' });
    expect(button).toHaveProperty('disabled', true);
    await user.selectOptions(within(form).getByLabelText('Outcome at the venue'), 'filled');
    await user.type(within(form).getByLabelText('Evidence'), 'fill in the venue blotter');
    await user.type(within(form).getByLabelText('Venue order id'), 'T-123');
    await user.type(within(form).getByLabelText('Filled quantity'), '1');
    await user.type(within(form).getByLabelText('Average price'), '2.35');
    await user.click(button);
    await waitFor(() => expect(screen.getByText('Nothing waits for reconciliation.')).not.toBeNull());
    expect(callsTo(calls, `POST /api/reconciliation/${STEP_ID}/resolve`)[0]?.body).toEqual({
      outcome: 'filled',
      evidence: 'fill in the venue blotter',
      venueOrderId: 'T-123',
      filledQuantity: '1',
      averagePrice: '2.35',
    });
  });

  it('shows a refused resolution’s problem detail', async () => {
    const user = userEvent.setup();
    renderView('/system', 'operator', {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/reconciliation': { body: QUEUE },
      [`POST /api/reconciliation/${STEP_ID}/resolve`]: problem(
        409,
        'Conflict',
        `step ${STEP_ID} is no longer in needs_reconciliation`,
      ),
    });
    const form = await screen.findByRole('form', { name: `Resolve step ${STEP_ID}` });
    await user.type(within(form).getByLabelText('Evidence'), 'no order at the venue');
    await user.click(within(form).getByRole('button', { name: 'Resolve' }));
    expect((await within(form).findByRole('alert')).textContent).toContain(
      'is no longer in needs_reconciliation',
    );
  });

  it('reads the queue again when the stream carries a step change', async () => {
    renderView('/system', 'viewer', {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/reconciliation': inTurn({ body: EMPTY }, { body: QUEUE }),
    });
    expect(await screen.findByText('Nothing waits for reconciliation.')).not.toBeNull();
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    act(() => {
      FakeEventSource.latest().open();
      const payload = {
        changes: [
          { stepId: STEP_ID, missionId: ITEM.missionId, from: 'running', to: 'needs_reconciliation' },
        ],
      };
      FakeEventSource.latest().emit(
        'steps_status_changed',
        '7',
        streamEvent('7', 'steps_status_changed', { payload }),
      );
    });
    expect(await screen.findByRole('article', { name: `Step ${STEP_ID}` })).not.toBeNull();
  });

  it('pages older heartbeat runs with the cursor the API handed out', async () => {
    const { calls } = renderView('/system', 'viewer', {
      ...BASE,
      'GET /api/status': { body: status() },
      'GET /api/heartbeat/runs': (call) =>
        call.url.includes('cursor=')
          ? { body: { items: [OLDEST_RUN], nextCursor: null } }
          : { body: { items: [RUN, OLD_RUN], nextCursor: 'after-old' } },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Older runs' }));
    const runs = screen.getByRole('region', { name: 'Heartbeat runs' });
    await waitFor(() => expect(within(runs).getAllByRole('row')).toHaveLength(4));
    expect(callsTo(calls, 'GET /api/heartbeat/runs').map((call) => call.url)).toEqual([
      '/api/heartbeat/runs?limit=20',
      '/api/heartbeat/runs?limit=20&cursor=after-old',
    ]);
    expect(screen.queryByRole('button', { name: 'Older runs' })).toBeNull();
  });

  it('reads the runs again when the status names a new last run', async () => {
    const NEXT = {
      ...RUN,
      id: '6a1f2c3e-0000-4000-8000-000000000009',
      startedAt: '2026-12-07T12:05:00.000Z',
    };
    const { calls } = renderView('/system', 'viewer', {
      ...BASE,
      'GET /api/status': inTurn({ body: status() }, { body: status({ heartbeat: { lastRun: NEXT } }) }),
      'GET /api/heartbeat/runs': inTurn(
        { body: RUNS },
        { body: { items: [NEXT, ...RUNS.items], nextCursor: null } },
      ),
    });
    const runs = await screen.findByRole('region', { name: 'Heartbeat runs' });
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    act(() => {
      FakeEventSource.latest().open();
      FakeEventSource.latest().emit(
        'steps_status_changed',
        '8',
        streamEvent('8', 'steps_status_changed', {
          payload: { changes: [] },
        }),
      );
    });
    await waitFor(() => expect(within(runs).getAllByRole('row')).toHaveLength(4));
    expect(callsTo(calls, 'GET /api/heartbeat/runs').length).toBeGreaterThanOrEqual(2);
  });
});
