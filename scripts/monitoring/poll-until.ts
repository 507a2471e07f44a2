/**
 * Awaiting another process's state: Prometheus's alerts, a role's readiness, a database row. None
 * of them can notify this process, so it asks again every `intervalMs` until the answer is the one
 * awaited or the deadline passes — a poll with a deadline, never a fixed sleep.
 * @module
 */

export interface Probe<T> {
  /** True when the awaited state is reached; `last` describes the answer for a failure report. */
  readonly done: boolean;
  readonly value: T;
  readonly last: string;
}

export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly deadlineMs: number,
    readonly last: string,
  ) {
    super(`${what}: not within ${Math.round(deadlineMs / 1000)} s (last answer: ${last})`);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the first probe that is done and the time it took; throws `DeadlineError` with the
 * last answer when the deadline passes. A probe that throws counts as an answer that is not done
 * (a server that is still starting refuses connections).
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<Probe<T>>,
  options: { deadlineMs: number; intervalMs?: number },
): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  let last: string;
  for (;;) {
    try {
      const answer = await probe();
      last = answer.last;
      if (answer.done) return { value: answer.value, elapsedMs: Date.now() - started };
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started >= options.deadlineMs) throw new DeadlineError(what, options.deadlineMs, last);
    await delay(options.intervalMs ?? 250);
  }
}
