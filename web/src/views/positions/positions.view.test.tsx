import { screen, waitFor, within } from '@testing-library/react';
import { problem } from '../../testing/fake-fetch';
import { callsOf, emitEvent, renderTradingView } from '../../testing/render-trading-view';
import userEvent from '@testing-library/user-event';
import type { PnlChartModel, PriceChartModel } from './chart-models';
import { dailyPnl, openPosition, priceHistory } from './positions.fixture';

// The charts draw on a canvas jsdom has not: the tests read the data the view hands them.
const mockDrawn: { price: { model: PriceChartModel; title: string }[]; pnl: PnlChartModel[] } = {
  price: [],
  pnl: [],
};
jest.mock('./uplot-charts', () => ({
  PriceChart: (props: { model: PriceChartModel; title: string }) => {
    mockDrawn.price.push(props);
    return <div data-testid="price-chart" />;
  },
  PnlChart: ({ model }: { model: PnlChartModel }) => {
    mockDrawn.pnl.push(model);
    return <div data-testid="pnl-chart" />;
  },
}));

const positions = (...items: ReturnType<typeof openPosition>[]) => ({ body: { items, nextCursor: null } });
const ROUTES = {
  'GET /api/pnl/daily': { body: dailyPnl() },
  'GET /api/prices/crypto/SOL': { body: priceHistory() },
};

beforeEach(() => {
  mockDrawn.price.length = 0;
  mockDrawn.pnl.length = 0;
});

describe('the positions view', () => {
  it('shows its loading state, then the open positions with marks and unrealised P&L', async () => {
    renderTradingView('/positions', { ...ROUTES, 'GET /api/positions': positions(openPosition()) });
    expect(screen.getByText(/Loading/)).toBeTruthy();
    const row = await screen.findByTestId('position');
    expect(row.textContent).toContain('SOL');
    expect(row.textContent).toContain('152');
    expect(row.textContent).toContain('$0.15');
  });

  it("hands the price chart the instrument's price, the position's entries and exits, and its SL and TP", async () => {
    const openedAt = new Date(Date.now() - 2 * 3_600_000);
    const { calls } = renderTradingView('/positions', {
      ...ROUTES,
      'GET /api/positions': positions(openPosition({ openedAt: openedAt.toISOString() })),
    });
    await screen.findByTestId('price-chart');
    const { model, title } = mockDrawn.price.at(-1)!;
    expect(title).toBe('SOL (crypto, long)');
    expect(model.levels).toEqual([
      { kind: 'stop_loss', label: 'Stop-loss', price: 140 },
      { kind: 'take_profit', label: 'Take-profit', price: 170 },
    ]);
    expect(model.price.filter((p) => p !== null)).toEqual([150, 151, 152]);
    expect(model.entries.filter((p) => p !== null)).toEqual([150.5]);
    expect(model.exits.filter((p) => p !== null)).toEqual([151.5]);
    const legend = within(screen.getByTestId('position-chart'));
    expect(legend.getByText('Stop-loss 140')).toBeTruthy();
    expect(legend.getByText('Take-profit 170')).toBeTruthy();
    // The window starts an hour before the position opened.
    const [price] = callsOf(calls, '/api/prices/crypto/SOL');
    expect(new URL(price!.url, 'http://x').searchParams.get('from')).toBe(
      new Date(openedAt.getTime() - 3_600_000).toISOString(),
    );
  });

  it('hands the P&L chart each day and the running total', async () => {
    renderTradingView('/positions', { ...ROUTES, 'GET /api/positions': positions() });
    await screen.findByTestId('pnl-chart');
    expect(mockDrawn.pnl.at(-1)!.daily).toEqual([2.5, 0, -1.25]);
    expect(mockDrawn.pnl.at(-1)!.cumulative).toEqual([2.5, 2.5, 1.25]);
    expect(screen.getByTestId('pnl-total').textContent).toBe('$1.25');
  });

  it('says so when nothing is open', async () => {
    renderTradingView('/positions', { ...ROUTES, 'GET /api/positions': positions() });
    expect(await screen.findByText('No open position.')).toBeTruthy();
    expect(mockDrawn.price).toHaveLength(0);
  });

  it('shows the API error with a Retry that reads again', async () => {
    let fail = true;
    renderTradingView('/positions', {
      ...ROUTES,
      'GET /api/positions': () => (fail ? problem(503, 'Service unavailable', 'database down') : positions()),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('database down');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No open position.')).toBeTruthy();
  });

  it("reads the positions again when the stream reports a position's change", async () => {
    let mark = '152';
    renderTradingView('/positions', {
      ...ROUTES,
      'GET /api/positions': () => positions(openPosition({ markPrice: mark })),
    });
    expect((await screen.findByTestId('position')).textContent).toContain('152');
    mark = '155.5';
    await emitEvent('position_changed');
    await waitFor(() => expect(screen.getByTestId('position').textContent).toContain('155.5'));
  });
});
