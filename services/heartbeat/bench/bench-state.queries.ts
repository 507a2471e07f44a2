import type { Queryable } from '@atc/platform';

/**
 * The benchmark's large state, written with set-based SQL: 1,000 open positions (stops and targets
 * set, unmarked), 100,000 events over the last day, 50,000 finished steps (10,000 succeeded missions
 * of 5 steps each), and the seeded trigger rules topped up to 50 enabled rules.
 */
export async function seedLargeState(db: Queryable): Promise<void> {
  const markets = `(array['crypto','options','futures'])[1 + (g % 3)]`;
  await db.query(
    `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, stop_loss, take_profit, opened_at)
     select ${markets}, 'BENCH' || lpad(g::text, 4, '0'),
            case when g % 4 = 0 then 'short' else 'long' end,
            1 + (g % 5), 100 + (g % 50), 1,
            case when g % 4 = 0 then 130 + (g % 50) else 70 + (g % 50) end,
            case when g % 4 = 0 then 60 + (g % 50) else 140 + (g % 50) end,
            now() - (g || ' minutes')::interval
       from generate_series(1, 1000) as g`,
  );
  await db.query(
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status,
                                decided_by, decided_at, created_at)
     select 'agent', 'bench-' || g, 'intel', 'bench proposal ' || g, 0.8, '{}'::jsonb,
            encode(sha256(g::text::bytea), 'hex'), 'approved', 'policy', now() - interval '2 days',
            now() - interval '2 days'
       from generate_series(1, 10000) as g`,
  );
  await db.query(
    `insert into atc.missions (proposal_id, title, status, created_at, finished_at)
     select id, title, 'succeeded', created_at, created_at + interval '1 minute'
       from atc.proposals where source_trace_id like 'bench-%'`,
  );
  await db.query(
    `insert into atc.steps (mission_id, seq, kind, market, status, payload, attempt, created_at, started_at, finished_at)
     select m.id, s, 'analyze', null, 'succeeded', '{}'::jsonb, 1, m.created_at, m.created_at, m.finished_at
       from atc.missions m cross join generate_series(0, 4) as s`,
  );
  await db.query(
    `insert into atc.events (type, aggregate_type, aggregate_id, market, agent, payload, created_at)
     select (array['step_succeeded','proposal_created','mission_succeeded','order_filled','position_marked'])[1 + (g % 5)],
            'bench', g::text, ${markets}, 'scout', jsonb_build_object('n', g),
            now() - ((100000 - g) || ' seconds')::interval / 1.2
       from generate_series(1, 100000) as g`,
  );
  // Copies of the seeded rules (same events, conditions and actions, so the phases parse them), renamed.
  await db.query(
    `insert into atc.trigger_rules (name, kind, trigger_event, interval_minutes, conditions, action, cooldown_minutes)
     select r.name || '_bench_' || g, r.kind, r.trigger_event, r.interval_minutes, r.conditions, r.action, r.cooldown_minutes
       from generate_series(1, 50) as g
       join lateral (
         select * from atc.trigger_rules where name not like '%_bench_%'
          order by name offset (g % (select count(*) from atc.trigger_rules where name not like '%_bench_%')) limit 1
       ) r on true
      limit greatest(0, 50 - (select count(*) from atc.trigger_rules))`,
  );
  await db.query('analyze');
}

export async function countState(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `select (select count(*) from atc.positions where status = 'open')::int as "openPositions",
            (select count(*) from atc.events)::int as events,
            (select count(*) from atc.steps where finished_at is not null)::int as "finishedSteps",
            (select count(*) from atc.trigger_rules)::int as "triggerRules"`,
  );
  return rows[0]!;
}
