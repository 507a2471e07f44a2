import { useId, useState } from 'react';
import { ApiError } from '../../api/api.client';
import { dateTime } from '../format';
import { boardColumns, type Mission } from './mission-board';
import { useMissions, useMissionSteps } from './missions.queries';

function Steps({ id }: { readonly id: string }) {
  const detail = useMissionSteps(id, true);
  if (detail.isPending) return <p className="muted">Loading steps…</p>;
  if (detail.isError) {
    const error = detail.error;
    return (
      <p role="alert" className="error">
        {error instanceof ApiError ? (error.detail ?? error.title) : String(error)}{' '}
        <button type="button" onClick={() => void detail.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  const { steps } = detail.data;
  if (steps.length === 0) return <p className="muted">No step.</p>;
  return (
    <table>
      <caption className="visually-hidden">Steps</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((step) => (
          <tr key={step.id} data-testid="step">
            <td>{step.seq}</td>
            <td>
              {step.kind}
              {step.market && <span className="muted"> · {step.market}</span>}
            </td>
            <td>{step.status}</td>
            <td>
              {step.attempt} / {step.maxAttempts}
            </td>
            <td className={step.lastError ? 'bad' : 'muted'}>{step.lastError ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MissionCard({ mission }: { readonly mission: Mission }) {
  const [open, setOpen] = useState(false);
  const stepsId = useId();
  return (
    <li className="card mission-card" data-testid="mission">
      <strong>{mission.title}</strong>
      <p className="muted">
        {mission.markets.join(', ') || 'no market'} · updated {dateTime(mission.updatedAt)}
      </p>
      <button type="button" aria-expanded={open} aria-controls={stepsId} onClick={() => setOpen(!open)}>
        {open ? 'Hide steps' : 'Show steps'}
        <span className="visually-hidden"> of {mission.title}</span>
      </button>
      <div id={stepsId}>{open && <Steps id={mission.id} />}</div>
    </li>
  );
}

/** Missions as a board, a column per status; a mission's steps with their attempts and errors. */
function MissionsView() {
  const { data } = useMissions();
  const missions = data.items;
  return (
    <>
      <h1>Missions and steps</h1>
      {missions.length === 0 ? (
        <p className="muted">No mission yet: approved proposals become missions.</p>
      ) : (
        <div className="board">
          {boardColumns(missions).map((column) => (
            <section
              key={column.status}
              className="board-column"
              aria-labelledby={`column-${column.status}`}
              data-testid={`column-${column.status}`}
            >
              <h2 id={`column-${column.status}`}>
                {column.title} ({column.missions.length})
              </h2>
              <ul className="board-cards">
                {column.missions.map((mission) => (
                  <MissionCard key={mission.id} mission={mission} />
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  );
}

export { MissionsView };
