/**
 * The System view's read-only cards, each from one part of GET /api/status: the workers holding a
 * step lease, the breakers grouped by venue, the queue, and the heartbeat runs seen.
 * @module
 */
import type { StatusResponse } from '@atc/contracts';
import { dateTime, time } from '../format';
import { type HeartbeatRun } from './heartbeat-history';

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

/** Each phase's name, outcome and duration, in run order. */
function PhaseDurations({ phases }: { readonly phases: HeartbeatRun['phases'] }) {
  if (phases.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="phases">
      {phases.map((phase, index) => (
        <li key={`${phase.name ?? 'phase'}-${index}`} className={phase.status === 'failed' ? 'bad' : ''}>
          {phase.name ?? 'phase'} {phase.status ?? ''}{' '}
          {phase.durationMs === null ? '' : `${Math.round(phase.durationMs)} ms`}
        </li>
      ))}
    </ul>
  );
}

function HeartbeatHistoryCard({ runs }: { readonly runs: readonly HeartbeatRun[] }) {
  return (
    <section className="card" aria-labelledby="heartbeat-history-title">
      <h2 id="heartbeat-history-title">Heartbeat runs</h2>
      <p className="muted">
        The runs seen since this page opened (the API reports the last run), with each phase’s time; newest
        first.
      </p>
      {runs.length === 0 ? (
        <p className="muted">No heartbeat has run yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">started</th>
              <th scope="col">status</th>
              <th scope="col">duration</th>
              <th scope="col">owner</th>
              <th scope="col">phases</th>
              <th scope="col">errors</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id}>
                <td>{dateTime(run.startedAt)}</td>
                <td className={run.status === 'success' ? 'good' : run.status === 'running' ? '' : 'bad'}>
                  {run.status}
                </td>
                <td>{run.durationMs === null ? '—' : `${run.durationMs} ms`}</td>
                <td>{run.owner}</td>
                <td>
                  <PhaseDurations phases={run.phases} />
                </td>
                <td>
                  {run.errors.length === 0
                    ? 'none'
                    : run.errors.map((error) => `${error.phase ?? 'run'}: ${error.code}`).join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export { BreakersByVenueCard, HeartbeatHistoryCard, QueueDepthCard, WorkersCard };
