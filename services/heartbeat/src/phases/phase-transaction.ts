import { withTransaction, type PoolClient } from '@atc/platform';
import type { PhaseContext } from './heartbeat-phase';
import { throwIfCancelled } from '@atc/trading';

// The phases' toolkit in one import: cancellation and bounded concurrency are shared with
// `quoteEntries` in @atc/trading, so they are defined there.
export { PhaseCancelledError, throwIfCancelled, mapBounded } from '@atc/trading';

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
