/**
 * The options and aligned data each chart hands uPlot, built from a chart model: kept apart from the
 * component so the tests read exactly what uPlot is given (series, their styles, their columns).
 * Types only from uPlot: its code stays in the lazy chunk of uplot-charts.tsx.
 * @module
 */
import type uPlot from 'uplot';
import type { EquityChartModel } from '../overview/equity-model';
import type { PnlChartModel, PriceChartModel } from './chart-models';

const HEIGHT = 220;

interface ChartColors {
  readonly line: string;
  readonly good: string;
  readonly bad: string;
  readonly muted: string;
  readonly border: string;
}

interface ChartConfig {
  readonly options: uPlot.Options;
  readonly data: uPlot.AlignedData;
}

function axes(colors: ChartColors): uPlot.Axis[] {
  const grid = { stroke: colors.border, width: 1 };
  return [
    { stroke: colors.muted, grid, ticks: grid },
    { stroke: colors.muted, grid, ticks: grid, size: 64 },
  ];
}

const points = (fill: string): uPlot.Series.Points => ({ show: true, size: 10, fill, stroke: fill });

/**
 * The price as a line (spanning the instants that only a fill has), entries and exits as points
 * without a line, and each level (stop-loss, take-profit) as a dashed constant series.
 */
function priceChartConfig(
  model: PriceChartModel,
  chart: { readonly title: string; readonly width: number; readonly colors: ChartColors },
): ChartConfig {
  const { colors } = chart;
  const levelColor = { stop_loss: colors.bad, take_profit: colors.good };
  const options: uPlot.Options = {
    title: chart.title,
    width: chart.width,
    height: HEIGHT,
    axes: axes(colors),
    series: [
      {},
      { label: 'Price', stroke: colors.line, width: 2, spanGaps: true },
      { label: 'Entries', stroke: colors.good, paths: () => null, points: points(colors.good) },
      { label: 'Exits', stroke: colors.bad, paths: () => null, points: points(colors.bad) },
      ...model.levels.map((level) => ({
        label: level.label,
        stroke: levelColor[level.kind],
        dash: [6, 4],
        points: { show: false },
      })),
    ],
  };
  const data: uPlot.AlignedData = [
    [...model.xs],
    [...model.price],
    [...model.entries],
    [...model.exits],
    ...model.levels.map((level) => model.xs.map(() => level.price)),
  ];
  return { options, data };
}

/** Each day's realised P&L (as bars when `bars` is given) and the running total as a line. */
function pnlChartConfig(
  model: PnlChartModel,
  chart: { readonly width: number; readonly colors: ChartColors; readonly bars?: uPlot.Series.PathBuilder },
): ChartConfig {
  const { colors } = chart;
  const options: uPlot.Options = {
    width: chart.width,
    height: HEIGHT,
    axes: axes(colors),
    series: [
      {},
      {
        label: 'Realised that day',
        stroke: colors.muted,
        fill: colors.border,
        ...(chart.bars ? { paths: chart.bars } : {}),
        points: { show: false },
      },
      { label: 'Running total', stroke: colors.line, width: 2 },
    ],
  };
  return { options, data: [[...model.xs], [...model.daily], [...model.cumulative]] };
}

/** The equity as a filled line, the realised part of it dashed beneath. */
function equityChartConfig(
  model: EquityChartModel,
  chart: { readonly width: number; readonly colors: ChartColors },
): ChartConfig {
  const { colors } = chart;
  const options: uPlot.Options = {
    width: chart.width,
    height: HEIGHT,
    axes: axes(colors),
    series: [
      {},
      { label: 'Equity (P&L)', stroke: colors.line, width: 2, fill: colors.border },
      { label: 'Realised', stroke: colors.muted, dash: [6, 4], points: { show: false } },
    ],
  };
  return { options, data: [[...model.xs], [...model.equity], [...model.realised]] };
}

export { type ChartColors, type ChartConfig, equityChartConfig, HEIGHT, pnlChartConfig, priceChartConfig };
