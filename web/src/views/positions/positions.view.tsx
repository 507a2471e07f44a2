import { lazy, Suspense, useMemo } from 'react';
import { dateTime, signClass, usd } from '../format';
import { pnlChartModel } from './chart-models';
import { PositionChart } from './position-chart';
import { useDailyPnl, useOpenPositionList } from './positions.queries';

const PnlChart = lazy(() => import('./uplot-charts').then((m) => ({ default: m.PnlChart })));

function DailyPnl() {
  const { data } = useDailyPnl();
  const model = useMemo(() => pnlChartModel(data), [data]);
  const total = model.cumulative.at(-1) ?? 0;
  return (
    <section aria-labelledby="pnl-title" className="card">
      <h2 id="pnl-title">Daily realised P&amp;L</h2>
      <p>
        {data.from} to {data.to} ({data.timeZone}):{' '}
        <strong className={signClass(String(total))} data-testid="pnl-total">
          {usd(String(total))}
        </strong>
      </p>
      <Suspense fallback={<p className="muted">Loading the chart…</p>}>
        <PnlChart model={model} />
      </Suspense>
    </section>
  );
}

function OpenPositions() {
  const { data } = useOpenPositionList();
  const positions = data.items;
  if (positions.length === 0) return <p className="muted">No open position.</p>;
  return (
    <>
      <table>
        <caption className="visually-hidden">Open positions</caption>
        <thead>
          <tr>
            <th scope="col">Instrument</th>
            <th scope="col">Side</th>
            <th scope="col">Quantity</th>
            <th scope="col">Average</th>
            <th scope="col">Mark</th>
            <th scope="col">Unrealised P&amp;L</th>
            <th scope="col">Stop-loss</th>
            <th scope="col">Take-profit</th>
            <th scope="col">Opened</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((position) => (
            <tr key={position.id} data-testid="position">
              <td>
                {position.symbol} <span className="muted">· {position.market}</span>
              </td>
              <td>{position.side}</td>
              <td>{position.quantity}</td>
              <td>{position.averagePrice}</td>
              <td title={position.markedAt ? `marked ${dateTime(position.markedAt)}` : 'not marked yet'}>
                {position.markPrice ?? '—'}
              </td>
              <td className={signClass(position.unrealisedPnl)}>{usd(position.unrealisedPnl)}</td>
              <td>{position.stopLoss ?? '—'}</td>
              <td>{position.takeProfit ?? '—'}</td>
              <td>{dateTime(position.openedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="chart-grid">
        {positions.map((position) => (
          <PositionChart key={position.id} position={position} />
        ))}
      </div>
    </>
  );
}

/** Open positions with marks and unrealised P&L, the daily P&L chart, and a price chart a position. */
function PositionsView() {
  return (
    <>
      <h1>Positions and P&amp;L</h1>
      <DailyPnl />
      <section aria-labelledby="open-title">
        <h2 id="open-title">Open positions</h2>
        <OpenPositions />
      </section>
    </>
  );
}

export { PositionsView };
