import type { PositionPage } from '@atc/contracts';
import { dateTime, signClass, usd } from '../format';
import { EquityCurveCard } from './equity-curve';
import {
  BreakersCard,
  HaltsCard,
  HeartbeatCard,
  PnlCard,
  QueueCard,
  ReconciliationCard,
} from './overview.cards';
import { useStatus } from '../../api/status.query';
import { useOpenPositions } from './overview.queries';

type Position = ReturnType<typeof PositionPage.parse>['items'][number];

function PositionsTable({ positions }: { readonly positions: readonly Position[] }) {
  if (positions.length === 0) return <p className="muted">No open position.</p>;
  return (
    <table>
      <caption className="muted">Open positions with their marks</caption>
      <thead>
        <tr>
          {[
            'market',
            'symbol',
            'side',
            'quantity',
            'average',
            'mark',
            'marked',
            'unrealised',
            'stop',
            'take profit',
          ].map((name) => (
            <th key={name} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {positions.map((position) => (
          <tr key={position.id}>
            <td>{position.market}</td>
            <td>{position.symbol}</td>
            <td>{position.side}</td>
            <td>{position.quantity}</td>
            <td>{position.averagePrice}</td>
            <td>{position.markPrice ?? '—'}</td>
            <td>{dateTime(position.markedAt)}</td>
            <td className={signClass(position.unrealisedPnl)}>{usd(position.unrealisedPnl)}</td>
            <td>{position.stopLoss ?? '—'}</td>
            <td>{position.takeProfit ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Positions() {
  const { data } = useOpenPositions();
  return (
    <section className="card" aria-labelledby="positions-title">
      <h2 id="positions-title">Open positions</h2>
      <PositionsTable positions={data.items} />
    </section>
  );
}

/**
 * The company at a glance: GET /api/status, the equity curve (GET /api/pnl/equity) and GET
 * /api/positions, kept live by the stream.
 */
function OverviewView() {
  const { data: status } = useStatus();
  return (
    <>
      <h1>Overview</h1>
      <p className="muted">As of {dateTime(status.asOf)}</p>
      <div className="grid">
        <PnlCard pnl={status.pnl} />
        <HaltsCard halts={status.halts} />
        <BreakersCard breakers={status.breakers} />
        <HeartbeatCard heartbeat={status.heartbeat} />
        <QueueCard queue={status.queue} />
        <ReconciliationCard reconciliation={status.reconciliation} />
      </div>
      <EquityCurveCard />
      <Positions />
    </>
  );
}

export { OverviewView };
