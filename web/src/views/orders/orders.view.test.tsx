import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { problem } from '../../testing/fake-fetch';
import { callsOf, emitEvent, renderTradingView } from '../../testing/render-trading-view';
import { explanation, orderItem } from './orders.fixture';

const page = (...items: ReturnType<typeof orderItem>[]) => ({ body: { items, nextCursor: null } });

describe('the orders view', () => {
  it('shows its loading state, then the orders with their status and fills', async () => {
    renderTradingView('/orders', { 'GET /api/orders': page(orderItem()) });
    expect(screen.getByText(/Loading/)).toBeTruthy();
    const row = await screen.findByTestId('order');
    expect(row.textContent).toContain('atc-0001');
    expect(row.textContent).toContain('buy 0.2 SOL');
    expect(row.textContent).toContain('0.2 at 150.5');
  });

  it('explains an order: the chain from signal to outcome, in that order, as a timeline', async () => {
    renderTradingView('/orders', {
      'GET /api/orders': page(orderItem()),
      'GET /api/orders/atc-0001/explain': { body: explanation() },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Explain atc-0001' }));
    const timeline = await screen.findByRole('list', { name: /Why atc-0001 exists/ });
    const links = within(timeline).getAllByTestId('timeline-link');
    expect(links.map((link) => within(link).getByRole('heading').textContent?.split(' ·')[0])).toEqual([
      'Signal',
      'Proposal',
      'Risk gates',
      'Approval',
      'Mission',
      'Step',
      'Intent',
      'Venue order',
      'Fills',
      'Position',
      'Outcome',
    ]);
    expect(links.at(-1)!.getAttribute('data-state')).toBe('pending');
    expect(links[8]!.textContent).toContain('buy 0.2 at 150.5');
  });

  it("shows a failed explanation's error with a Retry that reads it again", async () => {
    let fail = true;
    renderTradingView('/orders', {
      'GET /api/orders': page(orderItem()),
      'GET /api/orders/atc-0001/explain': () =>
        fail ? problem(404, 'Not found', 'no order atc-0001') : { body: explanation() },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Explain atc-0001' }));
    expect((await screen.findByRole('alert')).textContent).toContain('no order atc-0001');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findAllByTestId('timeline-link')).toHaveLength(11);
  });

  it('says so when there is no order', async () => {
    renderTradingView('/orders', { 'GET /api/orders': page() });
    expect(await screen.findByText('No order yet.')).toBeTruthy();
  });

  it('shows the API error with a Retry that reads again', async () => {
    let fail = true;
    renderTradingView('/orders', {
      'GET /api/orders': () => (fail ? problem(500, 'Internal error', 'boom') : page(orderItem())),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('boom');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('order')).toBeTruthy();
  });

  it('reads the orders again when the stream reports a fill', async () => {
    let status: 'accepted' | 'filled' = 'accepted';
    const { calls } = renderTradingView('/orders', {
      'GET /api/orders': () => page(orderItem({ status })),
    });
    expect((await screen.findByTestId('order')).textContent).toContain('accepted');
    status = 'filled';
    await emitEvent('fill_recorded');
    await waitFor(() => expect(screen.getByTestId('order').textContent).toContain('filled'));
    expect(callsOf(calls, '/api/orders')).toHaveLength(2);
  });
});
