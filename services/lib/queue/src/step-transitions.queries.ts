import type { Queryable } from '@atc/platform';
import type { StepStatus } from '@atc/contracts';
import type { FencedTransition, TransitionedStep } from './step-queue.queries';

/**
 * A transition of a step nobody holds (one waiting in `needs_reconciliation`): it moves only while the
 * step has no lease owner. Two reconcilers racing for a step: the second waits for the first's row
 * lock, then finds the step moved and moves nothing.
 */
export interface UnheldTransition {
  readonly stepId: string;
  readonly from: readonly StepStatus[];
  readonly to: StepStatus;
  readonly error?: string | null;
  readonly result?: unknown;
}

export type StepTransition = FencedTransition | UnheldTransition;

/** One entry of atc.transition_steps's JSON input (functions/transition_steps.sql). */
interface StepTransitionInput {
  readonly stepId: string;
  /** The lease's owner and fencing token; both null for a step nobody may hold. */
  readonly workerId: string | null;
  readonly attempt: number | null;
  readonly from: readonly StepStatus[];
  readonly to: StepStatus;
  readonly error: string | null;
  /** JSON text, so a result of JSON null is stored as JSON null rather than meaning "keep". */
  readonly result: string | null;
  readonly runAfterMs: number | null;
  readonly unclaim?: boolean;
}

function inputOf(t: StepTransition): StepTransitionInput {
  const common = {
    from: t.from,
    to: t.to,
    error: t.error ?? null,
    result: t.result === undefined ? null : JSON.stringify(t.result),
  };
  if (!('lease' in t)) {
    return { ...common, stepId: t.stepId, workerId: null, attempt: null, runAfterMs: null };
  }
  return {
    ...common,
    stepId: t.lease.stepId,
    workerId: t.lease.workerId,
    attempt: t.lease.attempt,
    runAfterMs: t.runAfterMs ?? null,
    ...(t.unclaim ? { unclaim: true } : {}),
  };
}

/**
 * Every step status change after the claim goes through here, to atc.transition_steps, in one round
 * trip and in the caller's transaction (or the statement's own): per step the fenced transition,
 * one `steps_status_changed` event listing every step that moved, per touched mission the roll-up
 * (atc.mission_status_from_steps) and its `mission_status_changed` event. Returns the steps that
 * moved; a step whose fence failed (lease lost, someone else's, status moved on) is absent.
 */
export async function transitionSteps(
  db: Queryable,
  transitions: readonly StepTransition[],
): Promise<TransitionedStep[]> {
  if (transitions.length === 0) return [];
  // Named, so each connection plans it once.
  const result = await db.query<TransitionedStep>({
    name: 'atc_transition_steps',
    text: `select id, mission_id as "missionId", market, from_status as "from", to_status as "to"
             from atc.transition_steps($1::jsonb)`,
    values: [JSON.stringify(transitions.map(inputOf))],
  });
  return result.rows;
}

/** One transition through `transitionSteps`; undefined when its fence failed. */
export async function transitionStep(
  db: Queryable,
  transition: StepTransition,
): Promise<TransitionedStep | undefined> {
  const [moved] = await transitionSteps(db, [transition]);
  return moved;
}
