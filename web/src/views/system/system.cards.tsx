/**
 * The System view's read-only cards, each from one part of GET /api/status: the workers holding a
 * step lease, the breakers grouped by venue and the queue.
 * @module
 */
import type { StatusResponse } from '@atc/contracts';
import { time } from '../format';

type Status = StatusResponse;

function WorkersCard({ workers }: { readonly workers: Status['workers'] }) {
  return (
    <section className="card" aria-labelledby="workers-title">
      <h2 id="workers-title">Workers seen</h2>
      {workers.length === 0 ? (
        <p className="muted">No worker holds a step now.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">worker</th>
              <th scope="col">markets</th>
              <th scope="col">steps</th>
              <th scope="col">lease until</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((worker) => (
              <tr key={worker.worker}>
                <th scope="row">{worker.worker}</th>
                <td>{worker.markets.join(', ')}</td>
                <td>{worker.steps}</td>
                <td>{time(worker.leaseExpiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Each venue with the breaker state its reporters (the workers) last saw. */
function BreakersByVenueCard({ breakers }: { readonly breakers: Status['breakers'] }) {
  const venues = [...new Set(breakers.map((breaker) => breaker.venue))].sort();
  return (
    <section className="card" aria-labelledby="breakers-by-venue-title">
      <h2 id="breakers-by-venue-title">Breakers by venue</h2>
      {venues.length === 0 ? (
        <p className="muted">No breaker reported yet.</p>
      ) : (
        venues.map((venue) => (
          <div key={venue}>
            <h3>{venue}</h3>
            <ul>
              {breakers
                .filter((breaker) => breaker.venue === venue)
                .map((breaker) => (
                  <li key={breaker.reporter}>
                    <span className={breaker.state === 'closed' ? 'good' : 'bad'}>{breaker.state}</span>{' '}
                    <span className="muted">
                      reported by {breaker.reporter} at {time(breaker.reportedAt)}
                    </span>
                  </li>
                ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}

function QueueDepthCard({ queue }: { readonly queue: Status['queue'] }) {
  return (
    <section className="card" aria-labelledby="queue-depth-title">
      <h2 id="queue-depth-title">Queue depth</h2>
      {queue.length === 0 ? (
        <p className="muted">The queue is empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">market</th>
              <th scope="col">status</th>
              <th scope="col">steps</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((row) => (
              <tr key={`${row.market ?? 'any'}/${row.status}`}>
                <td>{row.market ?? 'any'}</td>
                <td>{row.status}</td>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export { BreakersByVenueCard, QueueDepthCard, WorkersCard };
