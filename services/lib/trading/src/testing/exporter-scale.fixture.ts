/**
 * The benchmark's scale for the business-metrics exporter (issue 17): 1,000 open positions and
 * 100,000 events, with proportionate history around them — 10,000 closed positions, 10,000 missions
 * of 5 finished trade steps (50,000 steps), 20,000 orders and their fills over 30 days, a week of
 * heartbeat runs (one a minute, 10,080), and 300 unfinished steps (queued, running, needing
 * reconciliation). Set-based SQL, so it takes seconds; ANALYZEd at the end so plans are real ones.
 * Shared by business-metrics.plans.int.test.ts and `npm run bench:exporter`.
 * @module
 */
import type { Queryable } from '@atc/platform';

const MARKET = `(array['crypto','options','futures'])[1 + (g % 3)]`;

const positions = [
  `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss, opened_at)
   select ${MARKET}, 'OPEN' || lpad(g::text, 5, '0'), case when g % 4 = 0 then 'short' else 'long' end,
          1 + (g % 5), 100 + (g % 50), 1, case when g % 4 = 0 then 130 else 70 end, now() - (g || ' minutes')::interval
     from generate_series(1, 1000) as g`,
  `insert into atc.positions (market, symbol, side, quantity, average_price, status, opened_at, closed_at)
   select ${MARKET}, 'DONE' || lpad(g::text, 5, '0'), 'long', 0, 100, 'closed',
          now() - interval '31 days', now() - ((g % 43200) || ' minutes')::interval
     from generate_series(1, 10000) as g`,
];

const work = [
  `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status,
                              decided_by, decided_at, created_at)
   select 'agent', 'scale-' || g, 'intel', 'scale proposal ' || g, 0.8, '{}'::jsonb,
          encode(sha256(g::text::bytea), 'hex'), 'approved', 'policy', now() - interval '2 days', now() - interval '2 days'
     from generate_series(1, 10000) as g`,
  `insert into atc.missions (proposal_id, title, status, created_at, finished_at)
   select id, title, 'succeeded', created_at, created_at + interval '1 minute'
     from atc.proposals where source_trace_id like 'scale-%'`,
  `insert into atc.steps (mission_id, seq, kind, market, status, payload, attempt, created_at, started_at, finished_at)
   select m.id, s, 'execute_trade', (array['crypto','options','futures'])[1 + (s % 3)], 'succeeded', '{}'::jsonb, 1,
          m.created_at, m.created_at, m.finished_at
     from atc.missions m cross join generate_series(0, 4) as s`,
  // 300 unfinished steps on one mission: queued (due and in backoff), running, needing reconciliation.
  `insert into atc.steps (mission_id, seq, kind, market, status, payload, run_after, updated_at, lease_owner,
                          lease_expires_at)
   select (select id from atc.missions order by id limit 1), 100 + g, 'execute_trade', ${MARKET},
          (array['queued','queued','queued','queued','running','needs_reconciliation'])[1 + (g % 6)], '{}'::jsonb,
          now() - ((g % 50) || ' seconds')::interval, now() - ((g % 90) || ' seconds')::interval,
          case when g % 6 = 4 then 'scale-worker' end, case when g % 6 = 4 then now() + interval '1 minute' end
     from generate_series(1, 300) as g`,
];

const ledger = [
  `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status,
                           filled_quantity, last_error, created_at, updated_at)
   select s.id, 1, 'scale-' || s.n, s.market, 'SYM', 'buy', 'market', 1,
          (array['filled','filled','filled','rejected','cancelled','unknown','filled'])[1 + (s.n % 7)],
          case when s.n % 7 in (0, 1, 2, 6) then 1 else 0 end,
          case when s.n % 7 = 3 and s.n % 2 = 0 then 'not sent: connection refused' end,
          now() - ((s.n % 43200) || ' minutes')::interval, now() - ((s.n % 43200) || ' minutes')::interval
     from (select id, market, row_number() over (order by id) as n from atc.steps where status = 'succeeded') as s
    where s.n <= 20000`,
  `insert into atc.fills (order_id, market, venue_fill_id, side, quantity, price, realised_pnl, filled_at)
   select id, market, 'fill-' || client_order_id, 'buy', 1, 100, (length(client_order_id) % 7) - 3, created_at
     from atc.orders where filled_quantity > 0`,
];

const history = [
  `insert into atc.events (type, aggregate_type, aggregate_id, market, agent, payload, created_at)
   select (array['step_succeeded','proposal_created','mission_succeeded','order_filled','position_drift_detected'])[1 + (g % 5)],
          'scale', g::text, ${MARKET}, 'scout', jsonb_build_object('n', g),
          now() - ((100000 - g) || ' seconds')::interval / 1.2
     from generate_series(1, 100000) as g`,
  `insert into atc.heartbeat_runs (status, owner, started_at, finished_at, duration_ms, phases)
   select (array['success','success','success','success','partial_failure','skipped'])[1 + (g % 6)], 'scale-host:1',
          now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval + interval '800 milliseconds', 800,
          (select jsonb_agg(jsonb_build_object('name', p, 'status', 'success', 'durationMs', 80, 'budgetMs', 1000,
                                               'summary', jsonb_build_object('drift', 0)))
             from unnest(array['mark_to_market','evaluate_triggers','process_reactions','trade_reviews','expire_proposals',
                               'recover_leases','reconcile','promote_insights','learn_from_outcomes']) as p)
     from generate_series(1, 10080) as g`,
];

export async function seedExporterScale(db: Queryable): Promise<void> {
  for (const statement of [...positions, ...work, ...ledger, ...history]) await db.query(statement);
  await db.query('analyze');
}

/** What the data set holds, for the bench's report and the test's sanity check. */
export async function countExporterScale(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `select (select count(*) from atc.positions where status = 'open')::int as "openPositions",
            (select count(*) from atc.events)::int as events,
            (select count(*) from atc.steps)::int as steps,
            (select count(*) from atc.orders)::int as orders,
            (select count(*) from atc.fills)::int as fills,
            (select count(*) from atc.heartbeat_runs)::int as "heartbeatRuns"`,
  );
  return rows[0]!;
}
