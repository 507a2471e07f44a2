import type { Pool } from 'pg';
import { withDatabaseRetry } from '@atc/platform';
import type { FencedTransition, TransitionedStep } from './step-transitions.queries';
import { transitionSteps } from './step-transitions.queries';

interface PendingSettle {
  readonly transition: FencedTransition;
  readonly resolve: (moved: TransitionedStep | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** Upper bound of one batch: keeps a single statement's locks and payload small. */
const MAX_BATCH = 32;

/**
 * Batches in flight at once, each on its own connection: while one commits, the next is already
 * running, so a step that finishes just after a batch left waits for less than a whole batch.
 */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * Group commit for the settles of one pool, through atc.transition_steps (one round trip per batch).
 * Whoever composes the worker builds one per pool (a role's main, or the WorkerRuntime for itself)
 * and every runtime on that pool shares it. Settles requested in the same turn of the event loop go
 * together in one statement; settles that arrive while batches are in flight queue up and go
 * together when one returns (at most MAX_BATCHES_IN_FLIGHT at a time). Under load a worker thus pays
 * one round trip for many steps, and when idle nothing waits for company: no timer, no added delay.
 * Each step is still fenced on its own, and a failing batch is retried step by step so one bad
 * transition cannot fail its neighbours.
 */
export class SettleBatcher {
  private queue: PendingSettle[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly pool: Pool) {}

  /** The fenced transition with its event and roll-up; undefined when the lease was lost. */
  settle(transition: FencedTransition): Promise<TransitionedStep | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ transition, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Flushes once the current turn of the event loop is over, so steps that finished together (one
   * claim's batch, one I/O callback) leave together; it costs no timer delay.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_BATCHES_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= MAX_BATCHES_IN_FLIGHT || this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight += 1;
    void this.run(batch).finally(() => {
      this.inFlight -= 1;
      this.schedule();
    });
    // More than one batch waiting: the next lane takes it in the next turn.
    if (this.queue.length > 0) this.schedule();
  }

  private async run(batch: readonly PendingSettle[]): Promise<void> {
    try {
      const moved = await withDatabaseRetry(() =>
        transitionSteps(
          this.pool,
          batch.map((item) => item.transition),
        ),
      );
      const byId = new Map(moved.map((step) => [step.id, step]));
      for (const item of batch) item.resolve(byId.get(item.transition.lease.stepId));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await Promise.all(batch.map((item) => this.runAlone(item)));
    }
  }

  private async runAlone(item: PendingSettle): Promise<void> {
    try {
      const [moved] = await withDatabaseRetry(() => transitionSteps(this.pool, [item.transition]));
      item.resolve(moved);
    } catch (error) {
      item.reject(error);
    }
  }
}
