import { pnlChartModel, priceChartModel } from './chart-models';
import { dailyPnl, openPosition, priceHistory } from './positions.fixture';
import { equityChartConfig, pnlChartConfig, priceChartConfig } from './uplot-config';

const colors = { line: 'blue', good: 'green', bad: 'red', muted: 'grey', border: 'silver' };

describe('priceChartConfig', () => {
  it('gives uPlot the price line, entry and exit points, and SL and TP as dashed constant series', () => {
    const { options, data } = priceChartConfig(priceChartModel(openPosition(), priceHistory()), {
      title: 'SOL',
      width: 600,
      colors,
    });
    expect(options.series.map((s) => s.label)).toEqual([
      undefined,
      'Price',
      'Entries',
      'Exits',
      'Stop-loss',
      'Take-profit',
    ]);
    const [, price, entries, exits, stopLoss, takeProfit] = options.series;
    expect(price!.spanGaps).toBe(true);
    // Entries and exits are points with no line between them.
    for (const series of [entries!, exits!]) {
      expect(series.paths!({} as never, 0, 0, 0)).toBeNull();
      expect(series.points!.show).toBe(true);
    }
    expect([stopLoss!.stroke, stopLoss!.dash, takeProfit!.stroke]).toEqual(['red', [6, 4], 'green']);
    expect(data).toHaveLength(6);
    expect(data[4]).toEqual([140, 140, 140, 140]);
    expect(data[5]).toEqual([170, 170, 170, 170]);
    expect(data[0]).toHaveLength(4);
  });

  it('draws no level the position does not have', () => {
    const { options, data } = priceChartConfig(
      priceChartModel(openPosition({ stopLoss: null, takeProfit: null }), priceHistory()),
      { title: 'SOL', width: 600, colors },
    );
    expect(options.series).toHaveLength(4);
    expect(data).toHaveLength(4);
  });
});

describe('pnlChartConfig', () => {
  it('gives uPlot the daily P&L and the running total', () => {
    const { options, data } = pnlChartConfig(pnlChartModel(dailyPnl()), { width: 600, colors });
    expect(options.series.map((s) => s.label)).toEqual([undefined, 'Realised that day', 'Running total']);
    expect(data.slice(1)).toEqual([
      [2.5, 0, -1.25],
      [2.5, 2.5, 1.25],
    ]);
  });
});

describe('equityChartConfig', () => {
  it('gives uPlot the equity line and the realised part dashed, on the same days', () => {
    const model = { xs: [1, 2, 3], equity: [100.1, 100.3, 152], realised: [100.1, 100.3, 110] };
    const { options, data } = equityChartConfig(model, { width: 600, colors });
    expect(options.series.map((s) => s.label)).toEqual([undefined, 'Equity (P&L)', 'Realised']);
    expect([options.series[1]!.stroke, options.series[2]!.dash]).toEqual(['blue', [6, 4]]);
    expect(data).toEqual([
      [1, 2, 3],
      [100.1, 100.3, 152],
      [100.1, 100.3, 110],
    ]);
  });
});
