/**
 * Every status change of a step after its claim, through the one SQL function atc.transition_steps
 * (migrations/functions/transition_steps.sql): a worker's settles (batched by SettleBatcher), trade
 * execution's own transition, a draining worker's hand-back, lease recovery, the reconciler.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { Market, StepStatus } from '@atc/contracts';
import type { StepLease } from './step-queue.queries';

export interface TransitionedStep {
  readonly id: string;
  readonly missionId: string;
  readonly market: Market | null;
  readonly from: StepStatus;
  readonly to: StepStatus;
}

export interface FencedTransition {
  readonly lease: StepLease;
  readonly from: readonly StepStatus[];
  readonly to: StepStatus;
  readonly error?: string | null;
  readonly result?: unknown;
  /** For a requeue: when the step may run again. */
  readonly runAfterMs?: number;
  /** Hands back a claimed step that never started: the claim's attempt is taken back. */
  readonly unclaim?: boolean;
}

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

/**
 * Hands claimed-but-never-started steps back to the queue (a draining worker's prefetched steps),
 * running → queued through atc.transition_steps, fenced by this worker's leases. The attempt goes
 * back down too (`unclaim`): nothing ran under it.
 */
export async function releaseUnstartedSteps(
  db: Queryable,
  workerId: string,
  steps: readonly { id: string; attempt: number }[],
): Promise<TransitionedStep[]> {
  return transitionSteps(
    db,
    steps.map((step) => ({
      lease: { stepId: step.id, workerId, attempt: step.attempt },
      from: ['running'],
      to: 'queued',
      error: 'handed back unstarted by a draining worker',
      unclaim: true,
    })),
  );
}

/**
 * Steps whose lease ran out: a `running` step goes back to the queue (its work can be redone), an
 * `executing` step goes to `needs_reconciliation` — a venue call may have happened, so it is never
 * retried blindly. One statement: the candidates, then atc.transition_steps fenced by the expired
 * lease itself (owner, fencing token, still expired), so a holder that renews or settles meanwhile
 * keeps its step. Events, roll-ups and the notification come with it.
 */
export async function recoverExpiredLeases(db: Queryable, limit = 500): Promise<TransitionedStep[]> {
  return queryRows<TransitionedStep>(
    db,
    `select id, mission_id as "missionId", market, from_status as "from", to_status as "to"
       from atc.transition_steps((
         select coalesce(jsonb_agg(jsonb_build_object(
                  'stepId', e.id, 'workerId', e.lease_owner, 'attempt', e.attempt,
                  'from', jsonb_build_array(e.status), 'leaseExpired', true,
                  'to', case when e.status = 'executing' then 'needs_reconciliation' else 'queued' end,
                  'error', case when e.status = 'executing'
                                then 'lease expired while a venue call may have been in flight'
                                else 'lease expired; requeued' end)), '[]'::jsonb)
           from (select s.id, s.lease_owner, s.attempt, s.status
                   from atc.steps s
                   -- served by steps_unfinished_idx: held steps have a lease, queued ones none (nulls sort last)
                  where s.status in ('running', 'executing') and s.lease_expires_at < now()
                  order by s.lease_expires_at
                  limit $1::int) as e))`,
    [limit],
  );
}
