import { HttpStatusError } from './http-errors';
import { backoffDelayMs, parseRetryAfterMs, withRetry } from './http-retry';

const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const serverError = () => new HttpStatusError('v', 'e', 503, '', undefined);

describe('backoffDelayMs', () => {
  it('grows exponentially under a cap, with jitter below the ceiling', () => {
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(2, policy, () => 0.999)).toBe(399);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }))).toBe(150);
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sat, 28 Nov 2026 12:00:05 GMT' }), now)).toBe(
      5_000,
    );
    expect(parseRetryAfterMs(new Headers({}))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries a retryable failure up to maxRetries times and then throws it', async () => {
    const delays: number[] = [];
    let calls = 0;
    const run = withRetry(
      () => {
        calls += 1;
        return Promise.reject(serverError());
      },
      { policy, sleep: (ms) => (delays.push(ms), Promise.resolve()), random: () => 0.5 },
    );
    await expect(run).rejects.toBeInstanceOf(HttpStatusError);
    expect(calls).toBe(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('honours Retry-After instead of its own backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new HttpStatusError('v', 'e', 429, '', 3_000));
        return Promise.resolve('ok');
      },
      { policy, sleep: (ms) => (delays.push(ms), Promise.resolve()) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([3_000]);
  });

  it('does not retry a business rejection', async () => {
    let calls = 0;
    const run = withRetry(
      () => {
        calls += 1;
        return Promise.reject(new HttpStatusError('v', 'e', 400, '', undefined));
      },
      { policy, sleep: () => Promise.resolve() },
    );
    await expect(run).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(1);
  });

  it('waits with real timers when none are injected (fake clock)', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const run = withRetry(
        () => {
          calls += 1;
          return calls < 2 ? Promise.reject(serverError()) : Promise.resolve(calls);
        },
        { policy, random: () => 0.5 },
      );
      await jest.advanceTimersByTimeAsync(49);
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(run).resolves.toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
