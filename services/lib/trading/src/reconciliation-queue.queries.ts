/**
 * The reconciliation queue as an operator sees it (trade steps waiting in `needs_reconciliation`, with
 * their newest order), and the step a hand resolution locks.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, OrderStatus, StepStatus } from '@atc/contracts';
import { keysetPage, type KeysetPage, type TimeKey } from './keyset';

export interface ReconciliationQueueRow {
  readonly stepId: string;
  readonly missionId: string;
  readonly market: Market;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly lastError: string | null;
  readonly waitingSince: Date;
  readonly sortKey: string;
  readonly clientOrderId: string | null;
  readonly venueOrderId: string | null;
  readonly symbol: string | null;
  readonly side: string | null;
  readonly quantity: string | null;
  readonly orderStatus: OrderStatus | null;
  readonly filledQuantity: string | null;
  readonly orderCreatedAt: Date | null;
}

/** Oldest first (the longest-waiting step is the most urgent), optionally one market. */
export async function selectReconciliationQueuePage(
  db: Queryable,
  query: { market?: Market; limit: number; after?: TimeKey },
): Promise<KeysetPage<ReconciliationQueueRow, TimeKey>> {
  const rows = await queryRows<ReconciliationQueueRow>(
    db,
    `select s.id as "stepId", s.mission_id as "missionId", s.market, s.attempt, s.max_attempts as "maxAttempts",
            s.last_error as "lastError", s.waiting_since as "waitingSince",
            to_json(s.waiting_since) #>> '{}' as "sortKey",
            o.client_order_id as "clientOrderId", o.venue_order_id as "venueOrderId", o.symbol, o.side,
            o.quantity::text as quantity, o.status as "orderStatus", o.filled_quantity::text as "filledQuantity",
            o.created_at as "orderCreatedAt"
       from (select id, mission_id, market, attempt, max_attempts, last_error,
                    coalesce(finished_at, updated_at) as waiting_since
               from atc.steps
              -- served by steps_unfinished_idx (partial: unfinished steps, needs_reconciliation among them)
              where status = 'needs_reconciliation' and market is not null
                and ($1::text is null or market = $1::text)) s
       left join lateral (
         select client_order_id, venue_order_id, symbol, side, quantity, status, filled_quantity, created_at
           from atc.orders where step_id = s.id
          order by attempt desc limit 1
       ) o on true
      where ($2::timestamptz is null or (s.waiting_since, s.id) > ($2::timestamptz, $3::uuid))
      order by s.waiting_since, s.id
      limit $4::int`,
    [query.market ?? null, query.after?.at ?? null, query.after?.id ?? null, query.limit + 1],
  );
  return keysetPage(rows, query.limit, (row) => ({ at: row.sortKey, id: row.stepId }));
}

export interface LockedStep {
  readonly id: string;
  readonly status: StepStatus;
  readonly market: Market | null;
  readonly clientOrderId: string | null;
}

/** The step and its newest order's id, the step row locked for the resolution's transaction. */
export async function selectStepForResolution(
  db: Queryable,
  stepId: string,
): Promise<LockedStep | undefined> {
  return queryOne<LockedStep>(
    db,
    `select s.id, s.status, s.market,
            (select client_order_id from atc.orders where step_id = s.id order by attempt desc limit 1)
              as "clientOrderId"
       from atc.steps s
      where s.id = $1::uuid
        for update of s`,
    [stepId],
  );
}
