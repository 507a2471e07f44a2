import { MissionDetail, MissionItem } from '@atc/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { problem } from '../../testing/fake-fetch';
import { callsOf, emitEvent, renderTradingView } from '../../testing/render-trading-view';
import type { Mission } from './mission-board';

const mission = (id: string, status: Mission['status'], title: string): Mission =>
  MissionItem.parse({
    id,
    proposalId: '00000000-0000-4000-8000-000000000001',
    title,
    status,
    markets: ['crypto'],
    createdAt: '2031-01-01T10:00:00.000Z',
    updatedAt: '2031-01-01T10:00:00.000Z',
    finishedAt: null,
  });

const RUNNING = mission('10000000-0000-4000-8000-000000000001', 'running', 'Buy SOL on momentum');
const FAILED = mission('10000000-0000-4000-8000-000000000002', 'failed', 'Sell MES at the open');

const page = (...items: Mission[]) => ({ body: { items, nextCursor: null } });

const detail = MissionDetail.parse({
  ...FAILED,
  steps: [
    {
      id: '20000000-0000-4000-8000-000000000001',
      seq: 1,
      kind: 'execute_trade',
      market: 'futures',
      status: 'failed',
      attempt: 3,
      maxAttempts: 3,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: 'venue rejected: market closed',
      runAfter: '2031-01-01T10:00:00.000Z',
      startedAt: '2031-01-01T10:00:01.000Z',
      finishedAt: '2031-01-01T10:00:02.000Z',
      payload: {},
      result: null,
    },
  ],
});

describe('the missions view', () => {
  it('shows its loading state, then the board: a column per status with its missions', async () => {
    renderTradingView('/missions', { 'GET /api/missions': page(RUNNING, FAILED) });
    expect(screen.getByText(/Loading/)).toBeTruthy();
    const running = await screen.findByTestId('column-running');
    expect(within(running).getByRole('heading').textContent).toContain('Running (1)');
    expect(within(running).getByText('Buy SOL on momentum')).toBeTruthy();
    expect(within(screen.getByTestId('column-failed')).getByText('Sell MES at the open')).toBeTruthy();
    expect(within(screen.getByTestId('column-queued')).queryAllByTestId('mission')).toHaveLength(0);
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Queued (0)',
      'Running (1)',
      'Succeeded (0)',
      'Failed (1)',
      'Cancelled (0)',
    ]);
  });

  it("opens a mission's steps with their status, attempts and error", async () => {
    renderTradingView('/missions', {
      'GET /api/missions': page(FAILED),
      [`GET /api/missions/${FAILED.id}`]: { body: detail },
    });
    await userEvent.click(await screen.findByRole('button', { name: /Show steps of Sell MES/ }));
    const step = await screen.findByTestId('step');
    expect(step.textContent).toContain('execute_trade');
    expect(step.textContent).toContain('3 / 3');
    expect(step.textContent).toContain('venue rejected: market closed');
  });

  it('says so when there is no mission', async () => {
    renderTradingView('/missions', { 'GET /api/missions': page() });
    expect(await screen.findByText(/No mission yet/)).toBeTruthy();
  });

  it('shows the API error with a Retry that reads again', async () => {
    let fail = true;
    const { calls } = renderTradingView('/missions', {
      'GET /api/missions': () =>
        fail ? problem(503, 'Service unavailable', 'database down') : page(RUNNING),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('database down');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Buy SOL on momentum')).toBeTruthy();
    expect(callsOf(calls, '/api/missions').length).toBeGreaterThanOrEqual(2);
  });

  it('moves a mission between columns when the stream says its status changed', async () => {
    let current = RUNNING;
    renderTradingView('/missions', { 'GET /api/missions': () => page(current) });
    await screen.findByText('Buy SOL on momentum');
    current = { ...RUNNING, status: 'succeeded' };
    await emitEvent('mission_status_changed');
    await waitFor(() =>
      expect(within(screen.getByTestId('column-succeeded')).queryByText('Buy SOL on momentum')).toBeTruthy(),
    );
  });
});
