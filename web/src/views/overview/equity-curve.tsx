import { lazy, Suspense, useMemo } from 'react';
import type { EquityCurveResponse } from '@atc/contracts';
import { ApiError } from '../../api/api.client';
import { signClass, usd } from '../format';
import { equityChartModel, hasActivity } from './equity-model';
import { EQUITY_DAYS, useEquityCurve } from './overview.queries';

// uPlot arrives with the first chart (the positions view's lazy chunk), not with the app.
const EquityChart = lazy(() => import('../positions/uplot-charts').then((m) => ({ default: m.EquityChart })));

/** The figures behind the chart, for a screen reader or a reader who wants the numbers. */
function EquityTable({ curve }: { readonly curve: EquityCurveResponse }) {
  return (
    <details>
      <summary>The figures, day by day</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">day</th>
            <th scope="col">realised that day</th>
            <th scope="col">realised to date</th>
            <th scope="col">equity (P&amp;L)</th>
          </tr>
        </thead>
        <tbody>
          {curve.days.map((day) => (
            <tr key={day.day}>
              <td>{day.day}</td>
              <td className={signClass(day.realisedPnl)}>{usd(day.realisedPnl)}</td>
              <td>{usd(day.cumulativeRealisedPnl)}</td>
              <td className={signClass(day.equity)}>{usd(day.equity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function EquitySummary({ curve }: { readonly curve: EquityCurveResponse }) {
  const last = curve.days.at(-1);
  return (
    <p>
      <span data-testid="equity-now" className={signClass(last?.equity)}>
        {usd(last?.equity)}
      </span>{' '}
      <span className="muted">
        today ({usd(curve.unrealisedPnl)} unrealised
        {curve.unmarkedPositions > 0
          ? `; ${curve.unmarkedPositions} position(s) without a mark left out`
          : ''}
        ), from {usd(curve.days[0]?.equity)} on {curve.from}
      </span>
    </p>
  );
}

/**
 * The Overview's equity curve (GET /api/pnl/equity): the company's cumulative P&L at each day's end
 * over the last 30 days, today's including the open positions' unrealised P&L; the chart, a summary
 * in words and the figures as a table. Its own loading, empty and error states.
 */
function EquityCurveCard() {
  const curve = useEquityCurve();
  const model = useMemo(() => (curve.data ? equityChartModel(curve.data) : null), [curve.data]);
  let body;
  if (curve.isPending) body = <p className="muted">Loading the equity curve…</p>;
  else if (curve.isError) {
    const error = curve.error;
    body = (
      <p role="alert" className="error">
        {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}{' '}
        <button type="button" onClick={() => void curve.refetch()}>
          Retry
        </button>
      </p>
    );
  } else if (!hasActivity(curve.data)) {
    body = <p className="muted">No fill yet: the curve starts with the first trade.</p>;
  } else if (model) {
    body = (
      <>
        <EquitySummary curve={curve.data} />
        <Suspense fallback={<p className="muted">Loading the chart…</p>}>
          <EquityChart model={model} />
        </Suspense>
        <EquityTable curve={curve.data} />
      </>
    );
  }
  return (
    <section className="card equity-curve" aria-labelledby="equity-title">
      <h2 id="equity-title">Equity curve, last {EQUITY_DAYS} days</h2>
      <p className="muted">
        Cumulative P&amp;L since the first fill, at each day’s end (times in the calendar’s zone).
      </p>
      {body}
    </section>
  );
}

export { EquityCurveCard };
