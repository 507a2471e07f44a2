import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, OrderStatus } from '@atc/contracts';

/** A trade step waiting for reconciliation, with its newest order (if the intent was ever recorded). */
export interface ReconcilableStep {
  readonly stepId: string;
  readonly market: Market;
  readonly clientOrderId: string | null;
  readonly orderStatus: OrderStatus | null;
  readonly waitingSeconds: number;
  /** Since the order intent was committed (just before the venue call). */
  readonly orderAgeSeconds: number | null;
}

export async function selectStepsNeedingReconciliation(
  db: Queryable,
  limit: number,
): Promise<ReconcilableStep[]> {
  return queryRows<ReconcilableStep>(
    db,
    `select s.id as "stepId", s.market, o.client_order_id as "clientOrderId", o.status as "orderStatus",
            extract(epoch from now() - coalesce(s.finished_at, s.updated_at))::float8 as "waitingSeconds",
            extract(epoch from now() - o.created_at)::float8 as "orderAgeSeconds"
       from atc.steps s
       left join lateral (
         select client_order_id, status, created_at from atc.orders
          where step_id = s.id
          order by attempt desc
          limit 1
       ) o on true
      -- served by steps_unfinished_idx (partial: unfinished steps, needs_reconciliation among them)
      where s.status = 'needs_reconciliation' and s.market is not null
      order by s.updated_at
      limit $1::int`,
    [limit],
  );
}

/**
 * Orders still working at the venue whose step has already settled (a resting order whose step
 * succeeded on a partial fill): their later fills must still reach the ledger.
 */
export async function selectWorkingOrdersOfSettledSteps(
  db: Queryable,
  limit: number,
): Promise<{ clientOrderId: string; market: Market }[]> {
  return queryRows(
    db,
    `select o.client_order_id as "clientOrderId", o.market
       from atc.orders o
       join atc.steps s on s.id = o.step_id
      -- served by orders_unsettled_idx (partial: unsettled statuses only)
      where o.status in ('accepted', 'partially_filled')
        and s.status in ('succeeded', 'failed', 'cancelled', 'dead')
      order by o.created_at
      limit $1::int`,
    [limit],
  );
}

/** Gives back the daily trade slot of the proposal behind a step whose order provably never existed. */
export async function releaseTradeSlotOfStep(
  db: Queryable,
  stepId: string,
): Promise<{ tradingDay: string } | undefined> {
  return queryOne<{ tradingDay: string }>(
    db,
    `update atc.proposals p
        set trade_slots = p.trade_slots - 1, updated_at = now()
       from atc.steps s
       join atc.missions m on m.id = s.mission_id
      where s.id = $1::uuid and p.id = m.proposal_id and p.trade_slots > 0
  returning to_char(p.slots_day, 'YYYY-MM-DD') as "tradingDay"`,
    [stepId],
  );
}

/** The ledger's open positions of one market, signed (short is negative). */
export async function selectSignedOpenPositions(
  db: Queryable,
  market: Market,
): Promise<{ symbol: string; quantity: string }[]> {
  return queryRows(
    db,
    `select symbol, (case when side = 'short' then -quantity else quantity end)::text as quantity
       from atc.positions
      where market = $1::text and status = 'open'`,
    [market],
  );
}
