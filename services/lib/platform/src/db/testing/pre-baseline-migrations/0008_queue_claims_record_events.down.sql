-- Back to 0004's queue functions (claims without events, one event and notification per settled
-- step) and 0002's indexes.
drop function atc.claim_agent_steps(text, int, double precision, text[]);

create or replace function atc.claim_steps(
  claim_market text,
  worker_id text,
  max_steps int,
  lease_ms double precision,
  kinds text[]
) returns table (
  id uuid, mission_id uuid, kind text, market text, attempt int, max_attempts int, payload jsonb,
  lease_owner text, lease_expires_at timestamptz
)
language plpgsql
set plan_cache_mode = force_generic_plan
-- Key and index lookups only; see settle_held_steps.
set enable_seqscan = off
as $$
#variable_conflict use_column
declare
  claimed uuid[];
begin
  -- Served by steps_claim_idx: queued rows of one market, already in (priority, run_after) order.
  claimed := array(
    select s.id
      from atc.steps s
     where s.market = claim_market
       and s.status = 'queued'
       and s.run_after <= now()
       and s.kind = any(kinds)
     order by s.priority, s.run_after
     limit max_steps
       for update skip locked);

  return query
    with moved as (
      update atc.steps s
         set status = 'running',
             lease_owner = worker_id,
             lease_expires_at = now() + make_interval(secs => lease_ms / 1000),
             attempt = s.attempt + 1,
             started_at = coalesce(s.started_at, now()),
             updated_at = now()
        from unnest(claimed) as k(id)
       where s.id = k.id
   returning s.id, s.mission_id, s.kind, s.market, s.attempt, s.max_attempts, s.payload, s.lease_owner,
             s.lease_expires_at
    )
    select moved.*
      from unnest(claimed) with ordinality as k(id, n)
      join moved on moved.id = k.id
     order by k.n;
end;
$$;

drop function atc.take_claimed_steps(uuid[], text, double precision);

create or replace function atc.settle_held_steps(transitions jsonb)
returns table (id uuid, mission_id uuid, market text, from_status text, to_status text)
language plpgsql
-- Plan the statements inside once per session (re-planning them for each batch cost more than
-- running them), and plan them as what they are, lookups by key: on a small or freshly bloated table
-- a sequential scan can look cheaper to the planner, and it would cost more with every batch.
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
as $$
#variable_conflict use_column
declare
  step_ids uuid[];
  touched_missions uuid[];
  moved_ids uuid[];
  moved_missions uuid[];
  moved_markets text[];
  moved_from text[];
  moved_to text[];
  mission_changes bigint;
begin
  -- Every lookup below joins an unnest() of ids to a primary key: the work follows the batch, never
  -- the size of the tables (jsonb_to_recordset alone is estimated at 100 rows and invites seq scans).
  step_ids := array(select (t ->> 'stepId')::uuid from jsonb_array_elements(transitions) as t);

  with input as (
    select t."stepId" as step_id, t."workerId" as worker_id, t.attempt, t."from" as from_statuses,
           t."to" as to_status, t.error, t.result::jsonb as result, t."runAfterMs" as run_after_ms
      from jsonb_to_recordset(transitions)
        as t("stepId" uuid, "workerId" text, attempt int, "from" text[], "to" text, error text,
             result text, "runAfterMs" int)
  ),
  -- The missions, locked in id order: sibling settles roll up one after the other, and two batches
  -- sharing missions take them in the same order, so they never deadlock on them. (Step rows of two
  -- batches never overlap: a step is held by one worker.)
  locked_missions as (
    select m.id
      from atc.missions m
     where m.id in (select s.mission_id from unnest(step_ids) as k(id) join atc.steps s on s.id = k.id)
     order by m.id
       for update
  ),
  -- The fence: owner, fencing token and an expected status, checked on the locked row.
  held as (
    select s.id, s.status, i.*
      from unnest(step_ids) as k(id)
      join atc.steps s on s.id = k.id
      join input i on i.step_id = s.id
     where s.lease_owner = i.worker_id and s.attempt = i.attempt and s.status = any(i.from_statuses)
       -- Also what makes the mission locks happen: a CTE nobody reads is never run.
       and s.mission_id in (select id from locked_missions)
       for update of s
  ),
  moved as (
    update atc.steps s
       set status = h.to_status,
           last_error = coalesce(h.error, s.last_error),
           result = coalesce(h.result, s.result),
           run_after = case when h.run_after_ms is null then s.run_after
                            else now() + make_interval(secs => h.run_after_ms::double precision / 1000) end,
           lease_owner = case when h.to_status in ('running', 'executing') then s.lease_owner end,
           lease_expires_at = case when h.to_status in ('running', 'executing') then s.lease_expires_at end,
           finished_at = case when h.to_status in ('succeeded', 'failed', 'cancelled', 'dead', 'needs_reconciliation')
                              then now() else s.finished_at end,
           updated_at = now()
      from held h
     where s.id = h.id
 returning s.id, s.mission_id, s.market, h.status as from_status, s.status as to_status, h.error
  ),
  step_events as (
    insert into atc.events (type, aggregate_type, aggregate_id, market, payload)
    select 'step_status_changed', 'step', m.id::text, m.market,
           jsonb_build_object('stepId', m.id, 'missionId', m.mission_id, 'market', m.market,
                              'from', m.from_status, 'to', m.to_status, 'error', m.error)
      from moved m
    returning id
  ),
  notified as (
    select pg_notify('atc_events', e.id::text) from step_events e
  )
  select array_agg(m.id), array_agg(m.mission_id), array_agg(m.market), array_agg(m.from_status),
         array_agg(m.to_status), array_agg(distinct m.mission_id)
    into moved_ids, moved_missions, moved_markets, moved_from, moved_to, touched_missions
    from moved m
   where (select count(*) from notified) >= 0;

  if moved_ids is null then
    return;
  end if;

  -- The roll-up: a new statement, so it sees this batch's transitions and every sibling settled by
  -- a transaction that held the mission lock before us. Materialized: the rule runs once per mission.
  with derived as materialized (
    select m.id, m.status as old_status, atc.mission_status_from_steps(siblings.statuses) as new_status
      from unnest(touched_missions) as k(id)
      join atc.missions m on m.id = k.id
     cross join lateral (
       select array_agg(s.status order by s.seq) as statuses from atc.steps s where s.mission_id = m.id
     ) as siblings
  ),
  changed as (
    update atc.missions m
       set status = d.new_status,
           finished_at = case when d.new_status in ('succeeded', 'failed', 'cancelled') then now() end,
           updated_at = now()
      from derived d
     where m.id = d.id and d.new_status <> d.old_status
 returning m.id, d.old_status, d.new_status
  ),
  mission_events as (
    insert into atc.events (type, aggregate_type, aggregate_id, payload)
    select 'mission_status_changed', 'mission', c.id::text,
           jsonb_build_object('missionId', c.id, 'from', c.old_status, 'to', c.new_status)
      from changed c
    returning id
  )
  select count(*) into mission_changes
    from (select pg_notify('atc_events', e.id::text) from mission_events e) as notified;

  return query
    select * from unnest(moved_ids, moved_missions, moved_markets, moved_from, moved_to);
end;
$$;

drop index atc.steps_unfinished_idx;
create index steps_market_status_run_after_idx on atc.steps (market, status, run_after);
create index steps_lease_expires_at_idx on atc.steps (lease_expires_at)
  where status in ('running', 'executing');
create index steps_active_kind_idx on atc.steps (kind)
  where status in ('queued', 'running', 'executing', 'needs_reconciliation');
