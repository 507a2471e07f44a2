import { DailyPnlResponse, PositionItem, PriceHistoryResponse } from '@atc/contracts';
import { pnlChartModel, priceChartModel } from './chart-models';
import { dailyPnl, openPosition, priceHistory } from './positions.fixture';

const s = (iso: string) => Date.parse(iso) / 1000;

describe('priceChartModel', () => {
  it("aligns the price with the position's own entries and exits, and gives its SL and TP as levels", () => {
    const model = priceChartModel(
      PositionItem.parse(openPosition()),
      PriceHistoryResponse.parse(priceHistory()),
    );
    expect(model.xs).toEqual([
      s('2031-01-01T10:00:00Z'),
      s('2031-01-01T10:05:00Z'),
      s('2031-01-01T10:10:00Z'),
      s('2031-01-01T10:20:00Z'),
    ]);
    expect(model.price).toEqual([150, null, 151, 152]);
    expect(model.entries).toEqual([null, 150.5, null, null]);
    expect(model.exits).toEqual([null, null, 151.5, null]);
    expect(model.levels).toEqual([
      { kind: 'stop_loss', label: 'Stop-loss', price: 140 },
      { kind: 'take_profit', label: 'Take-profit', price: 170 },
    ]);
  });

  it('reads a short position the other way round and leaves out a level it does not have', () => {
    const model = priceChartModel(openPosition({ side: 'short', takeProfit: null }), priceHistory());
    expect(model.markers.map((m) => m.kind)).toEqual(['exit', 'entry']);
    expect(model.levels.map((level) => level.kind)).toEqual(['stop_loss']);
  });
});

describe('pnlChartModel', () => {
  it("gives each day's realised P&L and the running total", () => {
    const model = pnlChartModel(DailyPnlResponse.parse(dailyPnl()));
    expect(model.xs).toEqual([
      s('2031-01-01T00:00:00Z'),
      s('2031-01-02T00:00:00Z'),
      s('2031-01-03T00:00:00Z'),
    ]);
    expect(model.daily).toEqual([2.5, 0, -1.25]);
    expect(model.cumulative).toEqual([2.5, 2.5, 1.25]);
  });
});
