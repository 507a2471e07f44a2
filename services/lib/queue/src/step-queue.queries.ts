/**
 * The step queue's SQL. A claim takes rows with `FOR UPDATE SKIP LOCKED`, so concurrent workers
 * never wait on each other and never take the same row; it stamps a lease (owner + expiry) and
 * increments `attempt`, the fencing token. Every later write names owner and attempt in its WHERE
 * clause, so a worker whose lease expired and was taken over cannot touch the step again.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { Market, StepKind, StepStatus } from '@atc/contracts';

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
  /**
   * The W3C trace context the step carries from its proposal (migration 0015), read only while
   * tracing is on (`withTraceparents`); absent otherwise.
   */
  readonly traceparent?: string | null;
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
 * The claimed steps with the trace context each carries. A second statement rather than a column of
 * the claim, so that a worker with tracing off (the usual case) pays nothing for it.
 */
export async function withTraceparents(db: Queryable, steps: readonly ClaimedStep[]): Promise<ClaimedStep[]> {
  if (steps.length === 0) return [];
  const rows = await queryRows<{ id: string; traceparent: string | null }>(
    db,
    `select id, traceparent from atc.steps where id = any($1::uuid[])`,
    [steps.map((step) => step.id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row.traceparent]));
  return steps.map((step) => ({ ...step, traceparent: byId.get(step.id) ?? null }));
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
