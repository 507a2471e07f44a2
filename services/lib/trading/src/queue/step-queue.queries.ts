import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, StepKind, StepStatus } from '@atc/contracts';

/**
 * The step queue's SQL. A claim takes rows with `FOR UPDATE SKIP LOCKED`, so concurrent workers
 * never wait on each other and never take the same row; it stamps a lease (owner + expiry) and
 * increments `attempt`, the fencing token. Every later write names owner and attempt in its WHERE
 * clause, so a worker whose lease expired and was taken over cannot touch the step again.
 */
export interface ClaimedStep {
  readonly id: string;
  readonly missionId: string;
  readonly kind: StepKind;
  readonly market: Market | null;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly payload: unknown;
  readonly leaseOwner: string;
  readonly leaseExpiresAt: Date;
}

/** Who holds a step, and with which fencing token. */
export interface StepLease {
  readonly stepId: string;
  readonly workerId: string;
  readonly attempt: number;
}

export interface ClaimOptions {
  readonly market: Market;
  readonly workerId: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly kinds: readonly StepKind[];
}

/**
 * Claims through atc.claim_steps, which plans once per session (as a plain statement the claim was
 * re-planned on every call, and planning cost as much as running it) and records the claim
 * (migration 0008): each step's queued → running event, missions whose first step this is moved to
 * running with their events, one atc_events wake-up.
 */
export async function claimSteps(db: Queryable, options: ClaimOptions): Promise<ClaimedStep[]> {
  const result = await db.query<ClaimedStep>({
    // Named: the call itself is parsed and planned once per connection too.
    name: 'atc_claim_steps',
    text: `select id, mission_id as "missionId", kind, market, attempt, max_attempts as "maxAttempts", payload,
                  lease_owner as "leaseOwner", lease_expires_at as "leaseExpiresAt"
             from atc.claim_steps($1::text, $2::text, $3::int, $4::double precision, $5::text[])`,
    values: [options.market, options.workerId, options.limit, options.leaseMs, options.kinds],
  });
  return result.rows;
}

/**
 * Claims agent work (analysis, risk calculations, roundtables) for the roundtable worker, whatever
 * market it is about: market workers never claim these kinds. Through atc.claim_agent_steps
 * (migration 0008), with the same effects as a market claim: lease, fencing token, events, roll-up.
 */
export async function claimAgentSteps(
  db: Queryable,
  options: Omit<ClaimOptions, 'market'>,
): Promise<ClaimedStep[]> {
  const result = await db.query<ClaimedStep>({
    name: 'atc_claim_agent_steps',
    text: `select id, mission_id as "missionId", kind, market, attempt, max_attempts as "maxAttempts", payload,
                  lease_owner as "leaseOwner", lease_expires_at as "leaseExpiresAt"
             from atc.claim_agent_steps($1::text, $2::int, $3::double precision, $4::text[])`,
    values: [options.workerId, options.limit, options.leaseMs, options.kinds],
  });
  return result.rows;
}

/**
 * Hands claimed-but-never-started steps back to the queue (a draining worker's prefetched steps),
 * running → queued, in the caller's transaction (the caller records each transition's event and
 * roll-up). The attempt goes back down too: nothing ran under it, and the owner check still fences
 * this worker.
 */
export async function releaseUnstartedSteps(
  db: Queryable,
  workerId: string,
  steps: readonly { id: string; attempt: number }[],
): Promise<TransitionedStep[]> {
  if (steps.length === 0) return [];
  return queryRows<TransitionedStep>(
    db,
    `update atc.steps s
        set status = 'queued', lease_owner = null, lease_expires_at = null, attempt = s.attempt - 1,
            updated_at = now()
       from unnest($1::uuid[], $2::int[]) as held(id, attempt)
      where s.id = held.id and s.attempt = held.attempt and s.lease_owner = $3::text and s.status = 'running'
  returning s.id, s.mission_id as "missionId", s.market, 'running' as "from", s.status as "to"`,
    [steps.map((s) => s.id), steps.map((s) => s.attempt), workerId],
  );
}

/** Extends the leases this worker still holds; returns the ids it still holds (a lost one is absent). */
export async function renewLeases(
  db: Queryable,
  workerId: string,
  leases: readonly { stepId: string; attempt: number }[],
  leaseMs: number,
): Promise<string[]> {
  if (leases.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    `update atc.steps s
        set lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
       from unnest($1::uuid[], $2::int[]) as held(id, attempt)
      where s.id = held.id
        and s.attempt = held.attempt
        and s.lease_owner = $4::text
        and s.status in ('running', 'executing')
  returning s.id`,
    [leases.map((l) => l.stepId), leases.map((l) => l.attempt), leaseMs, workerId],
  );
  return rows.map((r) => r.id);
}

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
}

/**
 * Moves a step this worker holds from one of `from` to `to`, checking owner and fencing token.
 * Undefined means the lease was lost (or the step is in another state): the caller must not act.
 * Terminal states and requeues clear the lease.
 */
export async function transitionHeldStep(
  db: Queryable,
  t: FencedTransition,
): Promise<TransitionedStep | undefined> {
  return queryOne<TransitionedStep>(
    db,
    `with current as (
       select id, status from atc.steps
        where id = $1::uuid and lease_owner = $2::text and attempt = $3::int and status = any($4::text[])
        for update
     )
     update atc.steps s
        set status = $5::text,
            last_error = coalesce($6::text, s.last_error),
            result = coalesce($7::jsonb, s.result),
            run_after = case when $8::int is null then s.run_after
                             else now() + make_interval(secs => $8::double precision / 1000) end,
            lease_owner = case when $5::text in ('running', 'executing') then s.lease_owner end,
            lease_expires_at = case when $5::text in ('running', 'executing') then s.lease_expires_at end,
            finished_at = case when $5::text in ('succeeded', 'failed', 'cancelled', 'dead', 'needs_reconciliation')
                               then now() else s.finished_at end,
            updated_at = now()
       from current
      where s.id = current.id
  returning s.id, s.mission_id as "missionId", s.market, current.status as "from", s.status as "to"`,
    [
      t.lease.stepId,
      t.lease.workerId,
      t.lease.attempt,
      t.from,
      t.to,
      t.error ?? null,
      t.result === undefined ? null : JSON.stringify(t.result),
      t.runAfterMs ?? null,
    ],
  );
}

/**
 * Steps whose lease ran out: a `running` step goes back to the queue (its work can be redone), an
 * `executing` step goes to `needs_reconciliation` — a venue call may have happened, so it is never
 * retried blindly.
 */
export async function recoverExpiredLeases(db: Queryable, limit = 500): Promise<TransitionedStep[]> {
  return queryRows<TransitionedStep>(
    db,
    `with expired as (
       select id, status from atc.steps
        -- served by steps_unfinished_idx: held steps have a lease, queued ones none (nulls sort last)
        where status in ('running', 'executing') and lease_expires_at < now()
        order by lease_expires_at
        limit $1::int
        for update skip locked
     )
     update atc.steps s
        set status = case when expired.status = 'executing' then 'needs_reconciliation' else 'queued' end,
            last_error = case when expired.status = 'executing'
                              then 'lease expired while a venue call may have been in flight'
                              else 'lease expired; requeued' end,
            lease_owner = null,
            lease_expires_at = null,
            finished_at = case when expired.status = 'executing' then now() else s.finished_at end,
            updated_at = now()
       from expired
      where s.id = expired.id
  returning s.id, s.mission_id as "missionId", s.market, expired.status as "from", s.status as "to"`,
    [limit],
  );
}

export interface QueueDepthRow {
  readonly market: Market | null;
  readonly status: StepStatus;
  readonly count: number;
}

/** Steps per market and non-terminal status, for the queue-depth gauge and `atc status`. */
export async function queueDepth(db: Queryable): Promise<QueueDepthRow[]> {
  return queryRows<QueueDepthRow>(
    db,
    `select market, status, count(*)::int as count
       from atc.steps
      where status in ('queued', 'running', 'executing', 'needs_reconciliation')
      group by market, status
      order by market, status`,
  );
}

/**
 * Moves a step nobody holds (one waiting in `needs_reconciliation`) from one of `from` to `to`.
 * `skip locked`: if another reconciler is settling the same step right now, leave it to that one.
 */
export async function transitionUnheldStep(
  db: Queryable,
  t: { stepId: string; from: readonly StepStatus[]; to: StepStatus; error?: string | null; result?: unknown },
): Promise<TransitionedStep | undefined> {
  return queryOne<TransitionedStep>(
    db,
    `with current as (
       select id, status from atc.steps
        where id = $1::uuid and status = any($2::text[]) and lease_owner is null
        for update skip locked
     )
     update atc.steps s
        set status = $3::text,
            last_error = coalesce($4::text, s.last_error),
            result = coalesce($5::jsonb, s.result),
            finished_at = now(),
            updated_at = now()
       from current
      where s.id = current.id
  returning s.id, s.mission_id as "missionId", s.market, current.status as "from", s.status as "to"`,
    [t.stepId, t.from, t.to, t.error ?? null, t.result === undefined ? null : JSON.stringify(t.result)],
  );
}
