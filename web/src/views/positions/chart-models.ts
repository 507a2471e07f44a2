/**
 * The data the positions view hands its charts, built from the API's answers and nothing else: for an
 * open position, the instrument's price with the position's entries and exits as points and its
 * stop-loss and take-profit as horizontal levels; for the P&L, each day's realised P&L and the running
 * total. Columnar and aligned on one x axis (Unix seconds), as uPlot takes it.
 * @module
 */
import type { DailyPnlResponse, PositionItem, PriceHistoryResponse } from '@atc/contracts';

type Position = ReturnType<typeof PositionItem.parse>;
type PriceHistory = ReturnType<typeof PriceHistoryResponse.parse>;
type DailyPnl = ReturnType<typeof DailyPnlResponse.parse>;

interface ChartLevel {
  readonly kind: 'stop_loss' | 'take_profit';
  readonly label: string;
  readonly price: number;
}

interface ChartMarker {
  readonly kind: 'entry' | 'exit';
  readonly at: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly price: number;
}

interface PriceChartModel {
  /** Unix seconds, ascending: every sample's and every marker's instant. */
  readonly xs: readonly number[];
  readonly price: readonly (number | null)[];
  readonly entries: readonly (number | null)[];
  readonly exits: readonly (number | null)[];
  readonly levels: readonly ChartLevel[];
  readonly markers: readonly ChartMarker[];
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A long position enters on buys and exits on sells; a short one the other way round. */
function markerKind(position: Position, side: 'buy' | 'sell'): 'entry' | 'exit' {
  return (side === 'buy') === (position.side === 'long') ? 'entry' : 'exit';
}

function levelsOf(position: Position): ChartLevel[] {
  const levels: ChartLevel[] = [];
  if (position.stopLoss !== null) {
    levels.push({ kind: 'stop_loss', label: 'Stop-loss', price: Number(position.stopLoss) });
  }
  if (position.takeProfit !== null) {
    levels.push({ kind: 'take_profit', label: 'Take-profit', price: Number(position.takeProfit) });
  }
  return levels;
}

function priceChartModel(position: Position, history: PriceHistory): PriceChartModel {
  const markers: ChartMarker[] = history.fills
    .filter((fill) => fill.positionId === position.id)
    .map((fill) => ({
      kind: markerKind(position, fill.side),
      at: fill.filledAt,
      side: fill.side,
      quantity: fill.quantity,
      price: Number(fill.price),
    }));
  const samples = new Map(history.samples.map((sample) => [seconds(sample.at), Number(sample.price)]));
  const xs = [...new Set([...samples.keys(), ...markers.map((m) => seconds(m.at))])].sort((a, b) => a - b);
  const at = (kind: ChartMarker['kind']) =>
    xs.map((x) => markers.find((m) => m.kind === kind && seconds(m.at) === x)?.price ?? null);
  return {
    xs,
    price: xs.map((x) => samples.get(x) ?? null),
    entries: at('entry'),
    exits: at('exit'),
    levels: levelsOf(position),
    markers,
  };
}

interface PnlChartModel {
  /** Each day's midnight, UTC, in Unix seconds. */
  readonly xs: readonly number[];
  readonly daily: readonly number[];
  readonly cumulative: readonly number[];
}

function pnlChartModel(series: DailyPnl): PnlChartModel {
  let total = 0;
  const cumulative: number[] = [];
  for (const day of series.days) {
    total += Number(day.realisedPnl);
    cumulative.push(Math.round(total * 100) / 100);
  }
  return {
    xs: series.days.map((day) => seconds(`${day.day}T00:00:00Z`)),
    daily: series.days.map((day) => Number(day.realisedPnl)),
    cumulative,
  };
}

export {
  type ChartLevel,
  type ChartMarker,
  type DailyPnl,
  type PnlChartModel,
  type Position,
  type PriceChartModel,
  priceChartModel,
  type PriceHistory,
  pnlChartModel,
};
