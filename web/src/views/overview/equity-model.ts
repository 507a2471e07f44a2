/**
 * The equity curve's chart model from GET /api/pnl/equity: one point a day (its midnight, UTC, in
 * Unix seconds), the equity and the realised part of it. The API's decimal strings become numbers only
 * here, for drawing; the figures shown as text keep the API's strings.
 * @module
 */
import type { EquityCurveResponse } from '@atc/contracts';

interface EquityChartModel {
  readonly xs: readonly number[];
  /** Cumulative P&L at each day's end; the last day includes the open positions' unrealised P&L. */
  readonly equity: readonly number[];
  /** The realised part: every fill's realised P&L to the day's end. */
  readonly realised: readonly number[];
}

function equityChartModel(curve: EquityCurveResponse): EquityChartModel {
  return {
    xs: curve.days.map((day) => Date.parse(`${day.day}T00:00:00Z`) / 1000),
    equity: curve.days.map((day) => Number(day.equity)),
    realised: curve.days.map((day) => Number(day.cumulativeRealisedPnl)),
  };
}

/** Whether the curve has anything to show: a fill before or in the window, or an open position's P&L. */
function hasActivity(curve: EquityCurveResponse): boolean {
  const zero = (value: string) => Number(value) === 0;
  return !(
    zero(curve.realisedBefore) &&
    zero(curve.unrealisedPnl) &&
    curve.days.every((day) => zero(day.realisedPnl))
  );
}

export { type EquityChartModel, equityChartModel, hasActivity };
