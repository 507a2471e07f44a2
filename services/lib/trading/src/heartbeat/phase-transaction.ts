import { withTransaction, type PoolClient } from '@atc/platform';
import type { PhaseContext } from './heartbeat-phase';

/** Thrown between units of work once the phase's budget is spent (or the process is stopping). */
export class PhaseCancelledError extends Error {
  constructor(cause?: unknown) {
    super('the heartbeat phase was cancelled: its budget is spent', { cause });
    this.name = 'PhaseCancelledError';
  }
}

export function throwIfCancelled(context: Pick<PhaseContext, 'signal'>): void {
  if (context.signal.aborted) throw new PhaseCancelledError(context.signal.reason);
}

/**
 * One unit of a phase's work in one transaction, bounded by what is left of the budget: PostgreSQL
 * cancels a statement that would overrun and the whole unit rolls back. Checks cancellation first,
 * so a cancelled phase starts no new unit.
 */
export async function inPhaseTransaction<T>(
  context: PhaseContext,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  throwIfCancelled(context);
  return withTransaction(context.pool, work, { statementTimeoutMs: context.remainingMs() });
}

/** Runs `work` over `items` with at most `concurrency` in flight, stopping when the phase is cancelled. */
export async function mapBounded<T, R>(
  context: Pick<PhaseContext, 'signal'>,
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      throwIfCancelled(context);
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
