/**
 * Test data for the positions view, valid against the contracts' schemas: an open long SOL position
 * with a stop-loss and a take-profit, its price history with one entry and one partial exit (and a
 * fill of another position on the same instrument), and a daily P&L series.
 * @module
 */
import type { Position, PriceHistory, DailyPnl } from './chart-models';

const POSITION_ID = '44444444-4444-4444-8444-444444444444';
const OTHER_POSITION_ID = '77777777-7777-4777-8777-777777777777';

function openPosition(overrides: Partial<Position> = {}): Position {
  return {
    id: POSITION_ID,
    market: 'crypto',
    symbol: 'SOL',
    side: 'long',
    status: 'open',
    quantity: '0.1',
    averagePrice: '150.5',
    multiplier: '1',
    realisedPnl: '0.1',
    markPrice: '152',
    markedAt: '2031-01-01T10:20:00.000Z',
    unrealisedPnl: '0.15',
    stopLoss: '140',
    takeProfit: '170',
    openedAt: '2031-01-01T10:05:00.000Z',
    closedAt: null,
    ...overrides,
  };
}

function priceHistory(): PriceHistory {
  return {
    market: 'crypto',
    instrument: 'SOL',
    from: '2031-01-01T09:05:00.000Z',
    to: '2031-01-01T10:20:00.000Z',
    samples: [
      { at: '2031-01-01T10:00:00.000Z', price: '150' },
      { at: '2031-01-01T10:10:00.000Z', price: '151' },
      { at: '2031-01-01T10:20:00.000Z', price: '152' },
    ],
    truncated: false,
    fills: [
      {
        id: '66666666-6666-4666-8666-666666666661',
        positionId: POSITION_ID,
        clientOrderId: 'atc-0001',
        side: 'buy',
        quantity: '0.2',
        price: '150.5',
        filledAt: '2031-01-01T10:05:00.000Z',
      },
      {
        id: '66666666-6666-4666-8666-666666666662',
        positionId: OTHER_POSITION_ID,
        clientOrderId: 'atc-0002',
        side: 'buy',
        quantity: '1',
        price: '150.7',
        filledAt: '2031-01-01T10:07:00.000Z',
      },
      {
        id: '66666666-6666-4666-8666-666666666663',
        positionId: POSITION_ID,
        clientOrderId: 'atc-0003',
        side: 'sell',
        quantity: '0.1',
        price: '151.5',
        filledAt: '2031-01-01T10:10:00.000Z',
      },
    ],
  };
}

function dailyPnl(): DailyPnl {
  return {
    timeZone: 'America/New_York',
    from: '2031-01-01',
    to: '2031-01-03',
    days: [
      { day: '2031-01-01', realisedPnl: '2.5', byMarket: { crypto: '2.5' } },
      { day: '2031-01-02', realisedPnl: '0', byMarket: {} },
      { day: '2031-01-03', realisedPnl: '-1.25', byMarket: { crypto: '-1.25' } },
    ],
  };
}

export { dailyPnl, openPosition, priceHistory };
