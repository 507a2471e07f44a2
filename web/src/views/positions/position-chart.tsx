import { lazy, Suspense, useMemo } from 'react';
import { ApiError } from '../../api/api.client';
import { dateTime } from '../format';
import { type Position, priceChartModel } from './chart-models';
import { usePriceHistory } from './positions.queries';

// uPlot arrives with the first chart, not with the app.
const PriceChart = lazy(() => import('./uplot-charts').then((m) => ({ default: m.PriceChart })));

/** One open position's instrument: its price, entries and exits, stop-loss and take-profit. */
function PositionChart({ position }: { readonly position: Position }) {
  const history = usePriceHistory(position);
  const model = useMemo(
    () => (history.data ? priceChartModel(position, history.data) : null),
    [position, history.data],
  );
  const title = `${position.symbol} (${position.market}, ${position.side})`;
  let body;
  if (history.isPending) body = <p className="muted">Loading the price of {position.symbol}…</p>;
  else if (history.isError) {
    const error = history.error;
    body = (
      <p role="alert" className="error">
        {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}{' '}
        <button type="button" onClick={() => void history.refetch()}>
          Retry
        </button>
      </p>
    );
  } else if (model && model.xs.length === 0) {
    body = <p className="muted">No price sample of {position.symbol} since it opened.</p>;
  } else if (model) {
    body = (
      <Suspense fallback={<p className="muted">Loading the chart…</p>}>
        <PriceChart model={model} title={title} />
      </Suspense>
    );
  }
  return (
    <figure className="card position-chart" data-testid="position-chart">
      <figcaption>
        <strong>{title}</strong>
        {model && (
          <ul className="chart-legend">
            {model.levels.map((level) => (
              <li key={level.kind} className={level.kind === 'stop_loss' ? 'bad' : 'good'}>
                {level.label} {level.price}
              </li>
            ))}
            {model.markers.map((marker) => (
              <li key={`${marker.kind}-${marker.at}`}>
                {marker.kind === 'entry' ? 'Entry' : 'Exit'}: {marker.side} {marker.quantity} at{' '}
                {marker.price}, {dateTime(marker.at)}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
      {body}
    </figure>
  );
}

export { PositionChart };
