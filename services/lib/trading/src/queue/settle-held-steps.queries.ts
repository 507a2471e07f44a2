import type { Queryable } from '@atc/platform';
import type { FencedTransition, TransitionedStep } from './step-queue.queries';

/**
 * Settles several held steps in one round trip through atc.settle_held_steps (migrations 0004, 0008):
 * per step the fenced transition, one `steps_status_changed` event listing every step that moved,
 * per touched mission the roll-up and its `mission_status_changed` event, all in one transaction.
 * Returns the steps that moved; a step whose lease was lost is absent. The same transitions and
 * roll-ups as `transitionStep` for each, recorded in one event instead of one per step.
 */
export async function settleHeldSteps(
  db: Queryable,
  transitions: readonly FencedTransition[],
): Promise<TransitionedStep[]> {
  if (transitions.length === 0) return [];
  const input = transitions.map((t) => ({
    stepId: t.lease.stepId,
    workerId: t.lease.workerId,
    attempt: t.lease.attempt,
    from: t.from,
    to: t.to,
    error: t.error ?? null,
    // As text, so a result of JSON null is stored as transitionHeldStep stores it.
    result: t.result === undefined ? null : JSON.stringify(t.result),
    runAfterMs: t.runAfterMs ?? null,
  }));
  // Named, so each connection plans it once.
  const result = await db.query<TransitionedStep>({
    name: 'atc_settle_held_steps',
    text: `select id, mission_id as "missionId", market, from_status as "from", to_status as "to"
             from atc.settle_held_steps($1::jsonb)`,
    values: [JSON.stringify(input)],
  });
  return result.rows;
}
