/**
 * The heartbeat runs this page has seen. The API names only the last run (GET /api/status
 * `heartbeat.lastRun` with its phases, refreshed as the stream moves the status), so the history starts when the
 * page opens and keeps the newest {@link HISTORY_SIZE} distinct runs, a run's later read replacing
 * its earlier one (a running run that then finished).
 * @module
 */
import type { StatusResponse } from '@atc/contracts';
import { useState } from 'react';

type HeartbeatRun = NonNullable<StatusResponse['heartbeat']['lastRun']>;

const HISTORY_SIZE = 20;

/** `history` with `run` added or updated, newest first, at most {@link HISTORY_SIZE} runs. */
function withRun(history: readonly HeartbeatRun[], run: HeartbeatRun | null): readonly HeartbeatRun[] {
  if (run === null) return history;
  const index = history.findIndex((seen) => seen.id === run.id);
  if (index >= 0) {
    if (history[index] === run) return history;
    return history.map((seen, i) => (i === index ? run : seen));
  }
  const next = [run, ...history].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return next.slice(0, HISTORY_SIZE);
}

/** The runs seen since mount, folded from each status read's last run. */
function useHeartbeatHistory(lastRun: HeartbeatRun | null): readonly HeartbeatRun[] {
  const [state, setState] = useState<{ last: HeartbeatRun | null; history: readonly HeartbeatRun[] }>(() => ({
    last: lastRun,
    history: withRun([], lastRun),
  }));
  // Derived from props during render (React's pattern for state that follows a prop).
  if (state.last !== lastRun) setState({ last: lastRun, history: withRun(state.history, lastRun) });
  return state.last === lastRun ? state.history : withRun(state.history, lastRun);
}

export { HISTORY_SIZE, type HeartbeatRun, useHeartbeatHistory, withRun };
