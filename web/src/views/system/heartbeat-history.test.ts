import { HISTORY_SIZE, type HeartbeatRun, withRun } from './heartbeat-history';

function run(n: number, status = 'success'): HeartbeatRun {
  const second = String(n).padStart(2, '0');
  return {
    id: `00000000-0000-4000-8000-0000000000${second}`,
    status,
    owner: 'heartbeat',
    startedAt: `2026-12-07T12:00:${second}.000Z`,
    finishedAt: null,
    durationMs: null,
    errors: [],
    phases: [],
  };
}

describe('withRun', () => {
  it('keeps distinct runs newest first and replaces a run read again', () => {
    let history = withRun([], run(1));
    history = withRun(history, run(2, 'running'));
    history = withRun(history, run(2, 'success'));
    expect(history.map((r) => [r.id.slice(-2), r.status])).toEqual([
      ['02', 'success'],
      ['01', 'success'],
    ]);
  });

  it(`keeps at most ${HISTORY_SIZE} runs`, () => {
    let history: readonly HeartbeatRun[] = [];
    for (let n = 0; n < HISTORY_SIZE + 5; n += 1) history = withRun(history, run(n));
    expect(history).toHaveLength(HISTORY_SIZE);
    expect(history[0]?.id.slice(-2)).toBe(String(HISTORY_SIZE + 4));
  });

  it('ignores a status without a run', () => {
    const history = withRun([], run(1));
    expect(withRun(history, null)).toBe(history);
  });
});
