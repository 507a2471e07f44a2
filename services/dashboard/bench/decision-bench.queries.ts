/**
 * What bench:decision reads back from `atc up`'s database: each submitted proposal's status and the
 * venue orders its steps made, by the trace ids the bench gave them.
 * @module
 */
import type { Queryable } from '@atc/platform';

export interface BenchOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string | null;
  readonly status: string;
}

export interface BenchProposalRow {
  readonly sourceTraceId: string;
  readonly status: string;
  readonly reasonCode: string | null;
  readonly orders: readonly BenchOrder[];
}

export async function selectBenchProposals(
  db: Queryable,
  sourceTraceIds: readonly string[],
): Promise<BenchProposalRow[]> {
  const result = await db.query<BenchProposalRow>(
    `select p.source_trace_id as "sourceTraceId", p.status, p.reason_code as "reasonCode",
            -- a proposal without a mission (rejected, pending) has no orders: an empty list, not [null]
            coalesce(
              json_agg(json_build_object('clientOrderId', o.client_order_id, 'venueOrderId', o.venue_order_id,
                                         'status', o.status))
                filter (where o.id is not null),
              '[]'::json) as orders
       from atc.proposals p
       left join atc.missions m on m.proposal_id = p.id
       left join atc.steps s on s.mission_id = m.id
       left join atc.orders o on o.step_id = s.id
      where p.source_trace_id = any($1::text[])
      group by p.id`,
    [sourceTraceIds],
  );
  return result.rows;
}
