/**
 * Retry with exponential backoff and full jitter, honouring a server's Retry-After. Time is
 * injected (`sleep`, `random`) so tests assert the exact delays without waiting for them.
 * @module
 */
import { isRetryableFailure } from './http-errors';

export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 10_000 };
export const DEFAULT_TIMEOUT_MS = 10_000;

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Full jitter: a uniform delay in [0, min(max, base·2^retry)), so many clients do not retry in step. */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** `retry-after-ms`, then `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryAttemptInfo {
  readonly retry: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface WithRetryOptions {
  readonly policy?: RetryPolicy;
  readonly isRetryable?: (error: unknown) => boolean;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly onRetry?: (info: RetryAttemptInfo) => void;
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'retryAfterMs' in error) {
    const value = error.retryAfterMs;
    return typeof value === 'number' ? value : undefined;
  }
  return undefined;
}

/** Runs `operation(attempt)` until it succeeds, fails with a non-retryable error, or retries run out. */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: WithRetryOptions = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const isRetryable = options.isRetryable ?? isRetryableFailure;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRetryable(error)) throw error;
      // A server that says when to come back knows better than our backoff; still cap it.
      const retryAfter = retryAfterOf(error);
      const delayMs =
        retryAfter !== undefined
          ? Math.min(retryAfter, policy.maxDelayMs * 6)
          : backoffDelayMs(attempt, policy, options.random);
      options.onRetry?.({ retry: attempt + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}
