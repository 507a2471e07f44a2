/**
 * The heartbeat's runs (GET /api/heartbeat/runs): a strip of the runs' durations, newest on the
 * right, failures in the bad colour, then a table of each run with its phases and errors, older runs
 * paged on demand. Refreshed when the status' last run changes (the status is live; no event names a
 * heartbeat run).
 * @module
 */
import type { HeartbeatRunItem } from '@atc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { dateTime } from '../format';
import { liveKeys } from '../live/live-keys';
import { useHeartbeatRuns } from './system.queries';

/** A run that did not end well: failed or partly failed (running and skipped runs are not failures). */
function runFailed(run: HeartbeatRunItem): boolean {
  return run.status === 'failure' || run.status === 'partial_failure';
}

function statusClass(status: string): string {
  if (status === 'success') return 'good';
  if (status === 'failure' || status === 'partial_failure') return 'bad';
  return '';
}

/** Each phase's name, outcome and duration, in run order. */
function PhaseDurations({ phases }: { readonly phases: HeartbeatRunItem['phases'] }) {
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

/** Bars as tall as each run took (oldest left); the label says what a reader needs without the picture. */
function RunStrip({ runs }: { readonly runs: readonly HeartbeatRunItem[] }) {
  const longest = Math.max(1, ...runs.map((run) => run.durationMs ?? 0));
  const failed = runs.filter(runFailed).length;
  return (
    <div
      className="run-strip"
      role="img"
      aria-label={`Last ${runs.length} runs, ${failed} failed`}
      data-testid="heartbeat-strip"
    >
      {[...runs].reverse().map((run) => (
        <span
          key={run.id}
          className={runFailed(run) ? 'run-bar failed' : 'run-bar'}
          style={{ height: `${Math.max(8, Math.round(((run.durationMs ?? 0) / longest) * 100))}%` }}
          title={`${dateTime(run.startedAt)} ${run.status} ${run.durationMs ?? '—'} ms`}
        />
      ))}
    </div>
  );
}

function RunRow({ run }: { readonly run: HeartbeatRunItem }) {
  return (
    <tr className={runFailed(run) ? 'failed-run' : undefined}>
      <td>{dateTime(run.startedAt)}</td>
      <td className={statusClass(run.status)}>{run.status}</td>
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
  );
}

/** Reads the history again when the status names a new last run, or the last run's end. */
function useFollowLastRun(lastRun: HeartbeatRunItem | null) {
  const queryClient = useQueryClient();
  const mark = lastRun === null ? null : `${lastRun.id}/${lastRun.status}`;
  // The first read already holds the run the status names at mount: follow only later changes.
  const seen = useRef(mark);
  useEffect(() => {
    if (mark === seen.current) return;
    seen.current = mark;
    void queryClient.invalidateQueries({ queryKey: liveKeys.heartbeatRuns });
  }, [mark, queryClient]);
}

function HeartbeatHistory({ lastRun }: { readonly lastRun: HeartbeatRunItem | null }) {
  const history = useHeartbeatRuns();
  useFollowLastRun(lastRun);
  const runs = history.data.pages.flatMap((page) => page.items);
  return (
    <section className="card" aria-labelledby="heartbeat-history-title">
      <h2 id="heartbeat-history-title">Heartbeat runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No heartbeat has run yet.</p>
      ) : (
        <>
          <RunStrip runs={runs} />
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
                <RunRow key={run.id} run={run} />
              ))}
            </tbody>
          </table>
          {history.hasNextPage && (
            <button
              type="button"
              disabled={history.isFetchingNextPage}
              onClick={() => void history.fetchNextPage()}
            >
              {history.isFetchingNextPage ? 'Loading older runs…' : 'Older runs'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

export { HeartbeatHistory, runFailed };
