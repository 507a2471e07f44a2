import { errorMessage, PermanentError, type Logger } from '@atc/platform';
import type { StepStatus } from '@atc/contracts';
import type { ClaimedStep, StepLease } from './step-queue.queries';
import type { FencedTransition } from './step-transitions.queries';
import type { SettleBatcher } from './settle-batcher';

/**
 * What an executor reports about a step it ran:
 * - `settled`: the executor already committed the step's transition itself, in the transaction that
 *   recorded its effects (a trade step records fills and success together), and says where it went;
 * - `succeeded`: done, with an optional result;
 * - `retry`: not done, and provably nothing irreversible happened — run again after a backoff;
 * - `failed`: not done, and retrying cannot help;
 * - `needs_reconciliation`: a venue call may have happened and its outcome is unknown.
 * A thrown `PermanentError` means `failed`; any other throw means `retry`.
 */
export type StepOutcome =
  | { readonly type: 'settled'; readonly status: SettledAs }
  | { readonly type: 'succeeded'; readonly result?: unknown }
  | { readonly type: 'retry'; readonly reason: string }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'needs_reconciliation'; readonly reason: string };

export interface StepExecutionContext {
  readonly lease: StepLease;
  /** Fires when the worker drains past its deadline or loses the lease; long calls should honour it. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export type StepExecutor = (step: ClaimedStep, context: StepExecutionContext) => Promise<StepOutcome>;

export interface RetryBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_STEP_BACKOFF: RetryBackoff = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** Exponential backoff with full jitter in [50 %, 100 %] of the exponential value. */
export function retryDelayMs(
  attempt: number,
  backoff: RetryBackoff = DEFAULT_STEP_BACKOFF,
  random = Math.random,
): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

export type SettledAs = StepStatus | 'lease_lost';

function outcomeOf(result: StepOutcome | { readonly thrown: unknown }): StepOutcome {
  if (!('thrown' in result)) return result;
  const reason = errorMessage(result.thrown);
  return result.thrown instanceof PermanentError ? { type: 'failed', reason } : { type: 'retry', reason };
}

/** The fenced transition an outcome asks for; undefined for `settled` (already applied). */
export function transitionForOutcome(
  step: ClaimedStep,
  lease: StepLease,
  result: StepOutcome | { readonly thrown: unknown },
  backoff: RetryBackoff = DEFAULT_STEP_BACKOFF,
): FencedTransition | undefined {
  const outcome = outcomeOf(result);
  const held: StepStatus[] = ['running', 'executing'];
  switch (outcome.type) {
    case 'settled':
      return undefined;
    case 'succeeded':
      return { lease, from: held, to: 'succeeded', result: outcome.result ?? null };
    case 'failed':
      return { lease, from: held, to: 'failed', error: outcome.reason };
    case 'needs_reconciliation':
      return { lease, from: held, to: 'needs_reconciliation', error: outcome.reason };
    case 'retry':
      return step.attempt >= step.maxAttempts
        ? {
            lease,
            from: held,
            to: 'dead',
            error: `gave up after ${step.attempt} attempts: ${outcome.reason}`,
          }
        : {
            lease,
            from: held,
            to: 'queued',
            error: outcome.reason,
            runAfterMs: retryDelayMs(step.attempt, backoff),
          };
  }
}

/**
 * Applies an executor's outcome to the step, fenced by the lease: a worker that lost its lease
 * changes nothing and learns `lease_lost`. Through `batcher`, group-committed with the settles of
 * other steps that finish while one is in flight on its pool.
 */
export async function settleStep(
  batcher: SettleBatcher,
  step: ClaimedStep,
  lease: StepLease,
  result: StepOutcome | { readonly thrown: unknown },
  backoff: RetryBackoff = DEFAULT_STEP_BACKOFF,
): Promise<SettledAs> {
  if (!('thrown' in result) && result.type === 'settled') return result.status;
  const transition = transitionForOutcome(step, lease, result, backoff);
  if (!transition) throw new Error('unreachable: a settled outcome has no transition');
  const moved = await batcher.settle(transition);
  return moved ? moved.to : 'lease_lost';
}
