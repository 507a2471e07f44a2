import type { PoolClient } from 'pg';
import type { Queryable } from '@atc/platform';
import { appendEvent } from '../events.queries';
import { rollUpMissionStatus } from '../missions';
import { transitionHeldStep, type FencedTransition, type TransitionedStep } from './step-queue.queries';

/**
 * Records that a step changed state: its event (same transaction, so it exists exactly when the
 * change committed) and, when the change could finish the mission, the mission's rolled-up status
 * with its own event.
 */
export async function recordStepTransition(
  db: Queryable,
  step: TransitionedStep,
  error?: string | null,
): Promise<void> {
  await appendEvent(db, {
    type: 'step_status_changed',
    aggregateType: 'step',
    aggregateId: step.id,
    market: step.market,
    payload: {
      stepId: step.id,
      missionId: step.missionId,
      market: step.market,
      from: step.from,
      to: step.to,
      error: error ?? null,
    },
  });
  await rollUpMissionStatus(db, step.missionId);
}

/** A fenced transition plus its event and mission roll-up; undefined when the lease was lost. */
export async function transitionStep(
  client: PoolClient,
  transition: FencedTransition,
): Promise<TransitionedStep | undefined> {
  const step = await transitionHeldStep(client, transition);
  if (step) await recordStepTransition(client, step, transition.error);
  return step;
}
