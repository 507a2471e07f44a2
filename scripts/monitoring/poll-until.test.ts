import { DeadlineError, pollUntil } from './poll-until';

describe('pollUntil', () => {
  it('resolves with the first answer that is done, counting a probe that throws as not done', async () => {
    const answers = [new Error('connection refused'), 'starting', 'ready'];
    const { value } = await pollUntil(
      'ready',
      () => {
        const next = answers.shift()!;
        if (next instanceof Error) return Promise.reject(next);
        return Promise.resolve({ done: next === 'ready', value: next, last: next });
      },
      { deadlineMs: 60_000, intervalMs: 0 },
    );
    expect(value).toBe('ready');
    expect(answers).toEqual([]);
  });

  it('throws a DeadlineError with the last answer once the deadline has passed', async () => {
    const polled = pollUntil('firing', () => Promise.resolve({ done: false, value: 0, last: 'inactive' }), {
      deadlineMs: 0,
    });
    await expect(polled).rejects.toThrow(DeadlineError);
    await expect(polled).rejects.toThrow('firing: not within 0 s (last answer: inactive)');
  });
});
