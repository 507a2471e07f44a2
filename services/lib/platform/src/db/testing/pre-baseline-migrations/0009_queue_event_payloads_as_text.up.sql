-- Cheaper event payloads for the step queue's batches (measured by `npm run bench:queue`). The
-- claim's and the settle's `steps_status_changed` payloads and the missions' `mission_status_changed`
-- payloads were built with jsonb_build_object and jsonb_agg: per row and per argument those look up
-- the type's output function in the catalog cache and build a jsonb value that jsonb_agg then walks
-- again — about a sixth of the server's CPU per claimed-and-settled step. Now each change is written
-- as JSON text by the functions below (inlined into the callers' plans: they are single
-- expressions), joined with string_agg and parsed to jsonb once per event. The payloads are the same
-- jsonb values as before, key for key (tested).

-- A batch's payload runs to a few kilobytes (≈ 190 bytes a step); compressing it cost more CPU than
-- the space it saved. Rows up to a page are now stored as they are (larger ones are still compressed).
alter table atc.events set (toast_tuple_target = 8160);

-- One change of `steps_status_changed` (contracts: StepStatusChange) as JSON text. Ids and statuses
-- are written as they are: uuids and status names never need escaping (every status and market is
-- one of the steps table's checked values; anything else would make the payload invalid JSON and
-- fail the statement, not write a wrong event). The error is free text and goes through to_json.
create function atc.step_change_json(
  step_id uuid, mission_id uuid, market text, from_status text, to_status text, error text
) returns text
language sql
stable
as $$
  select '{"stepId":"' || step_id::text || '","missionId":"' || mission_id::text
         || '","market":' || coalesce('"' || market || '"', 'null')
         || ',"from":"' || from_status || '","to":"' || to_status
         || '","error":' || case when error is null then 'null' else to_json(error)::text end || '}'
$$;

-- The payload of `steps_status_changed` from its changes (step_change_json texts joined by commas).
create function atc.step_changes_json(changes text) returns jsonb
language sql
immutable
as $$
  select ('{"changes":[' || changes || ']}')::jsonb
$$;

-- The payload of `mission_status_changed` (contracts: events.ts); statuses as in step_change_json.
create function atc.mission_change_json(mission_id uuid, from_status text, to_status text) returns jsonb
language sql
immutable
as $$
  select ('{"missionId":"' || mission_id::text || '","from":"' || from_status || '","to":"' || to_status
          || '"}')::jsonb
$$;

-- Takes steps the caller has just locked with `for update skip locked` (ids in claim order): stamps
-- the lease (owner, expiry, attempt + 1 — the fencing token), writes the claim's event, moves the
-- missions still queued to running, each with its event (locked in id order, as settle_held_steps
-- locks them, so claims and settles never deadlock on missions), and notifies atc_events once.
-- Rows come back in claim order.
create or replace function atc.take_claimed_steps(claimed uuid[], worker_id text, lease_ms double precision)
returns table (
  id uuid, mission_id uuid, kind text, market text, attempt int, max_attempts int, payload jsonb,
  lease_owner text, lease_expires_at timestamptz
)
language plpgsql
-- Key lookups only, planned once per session (see settle_held_steps).
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
as $$
#variable_conflict use_column
declare
  ids uuid[];
  mission_ids uuid[];
  step_kinds text[];
  markets text[];
  attempts int[];
  attempt_limits int[];
  payloads jsonb[];
  owners text[];
  expiries timestamptz[];
  newest_step_event bigint;
  newest_mission_event bigint;
begin
  if coalesce(cardinality(claimed), 0) = 0 then
    return;
  end if;

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
  ),
  step_event as (
    insert into atc.events (type, aggregate_type, market, payload)
    select 'steps_status_changed', 'step', case when count(distinct m.market) = 1 then min(m.market) end,
           atc.step_changes_json(string_agg(
             atc.step_change_json(m.id, m.mission_id, m.market, 'queued', 'running', null), ',' order by m.id))
      from moved m
    having count(*) > 0
    returning id
  ),
  in_claim_order as (
    select m.* from unnest(claimed) with ordinality as k(id, n) join moved m on m.id = k.id order by k.n
  )
  select array_agg(c.id), array_agg(c.mission_id), array_agg(c.kind), array_agg(c.market),
         array_agg(c.attempt), array_agg(c.max_attempts), array_agg(c.payload), array_agg(c.lease_owner),
         array_agg(c.lease_expires_at), (select max(e.id) from step_event e)
    into ids, mission_ids, step_kinds, markets, attempts, attempt_limits, payloads, owners, expiries,
         newest_step_event
    from in_claim_order c;

  -- A mission is queued only while every step is (atc.mission_status_from_steps): its first claimed
  -- step makes it running; a mission already past queued is neither locked nor touched.
  with locked as (
    select m.id
      from (select distinct k.id from unnest(mission_ids) as k(id)) as k
      join atc.missions m on m.id = k.id
     where m.status = 'queued'
     order by m.id
       for update of m
  ),
  changed as (
    update atc.missions m
       set status = 'running', updated_at = now()
      from locked l
     where m.id = l.id
 returning m.id
  ),
  mission_events as (
    insert into atc.events (type, aggregate_type, aggregate_id, payload)
    select 'mission_status_changed', 'mission', c.id::text,
           atc.mission_change_json(c.id, 'queued', 'running')
      from changed c
    returning id
  )
  select max(e.id) into newest_mission_event from mission_events e;

  perform pg_notify('atc_events', greatest(newest_step_event, newest_mission_event)::text);

  return query
    select * from unnest(ids, mission_ids, step_kinds, markets, attempts, attempt_limits, payloads, owners,
                         expiries);
end;
$$;

-- Settles a batch of steps their workers hold, in one round trip and one transaction (the caller's,
-- or the statement's own): per step the fenced transition, one steps_status_changed event for the
-- batch, then per touched mission the roll-up and its mission_status_changed event, and one
-- atc_events notification. A step whose lease is gone (other owner, other attempt, other status) is
-- left alone and absent from the result. `transitions` is a JSON array of
--   {stepId, workerId, attempt, from: [status…], to, error, result (JSON text or null), runAfterMs}.
-- It is a function because the roll-up must read sibling steps after the mission lock is granted:
-- within one statement the snapshot predates the wait, so a sibling settled meanwhile would be
-- missed; here the roll-up is a later statement, with a fresh snapshot (read committed).
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
  newest_step_event bigint;
  newest_mission_event bigint;
begin
  -- Every lookup below joins an unnest() of ids to a primary key: the work follows the batch, never
  -- the size of the tables (jsonb_to_recordset alone is estimated at 100 rows and invites seq scans).
  step_ids := array(select (t ->> 'stepId')::uuid from jsonb_array_elements(transitions) as t);

  -- The missions, locked in id order first: sibling settles roll up one after the other, and two
  -- batches (or a batch and a claim) sharing missions take them in the same order, so they never
  -- deadlock on them. (Step rows of two batches never overlap: a step is held by one worker.)
  perform 1
     from atc.missions m
    where m.id in (select s.mission_id from unnest(step_ids) as k(id) join atc.steps s on s.id = k.id)
    order by m.id
      for update of m;

  with input as (
    select t."stepId" as step_id, t."workerId" as worker_id, t.attempt, t."from" as from_statuses,
           t."to" as to_status, t.error, t.result::jsonb as result, t."runAfterMs" as run_after_ms
      from jsonb_to_recordset(transitions)
        as t("stepId" uuid, "workerId" text, attempt int, "from" text[], "to" text, error text,
             result text, "runAfterMs" int)
  ),
  -- The status each step had, for its event. Only the holder moves a held step, so the fence below
  -- passing means this is still the status the UPDATE replaces.
  prior as (
    select s.id, s.status, i.*
      from unnest(step_ids) as k(id)
      join atc.steps s on s.id = k.id
      join input i on i.step_id = s.id
  ),
  -- The fence: owner, fencing token and an expected status, re-checked by the UPDATE on the row it
  -- locks (a row changed meanwhile is re-read), so a lost lease moves nothing.
  moved as (
    update atc.steps s
       set status = p.to_status,
           last_error = coalesce(p.error, s.last_error),
           result = coalesce(p.result, s.result),
           run_after = case when p.run_after_ms is null then s.run_after
                            else now() + make_interval(secs => p.run_after_ms::double precision / 1000) end,
           lease_owner = case when p.to_status in ('running', 'executing') then s.lease_owner end,
           lease_expires_at = case when p.to_status in ('running', 'executing') then s.lease_expires_at end,
           finished_at = case when p.to_status in ('succeeded', 'failed', 'cancelled', 'dead', 'needs_reconciliation')
                              then now() else s.finished_at end,
           updated_at = now()
      from prior p
     where s.id = p.id
       and s.lease_owner = p.worker_id and s.attempt = p.attempt and s.status = any(p.from_statuses)
 returning s.id, s.mission_id, s.market, p.status as from_status, s.status as to_status, p.error
  ),
  step_event as (
    insert into atc.events (type, aggregate_type, market, payload)
    select 'steps_status_changed', 'step', case when count(distinct m.market) = 1 then min(m.market) end,
           atc.step_changes_json(string_agg(
             atc.step_change_json(m.id, m.mission_id, m.market, m.from_status, m.to_status, m.error), ','
             order by m.id))
      from moved m
    having count(*) > 0
    returning id
  )
  select array_agg(m.id), array_agg(m.mission_id), array_agg(m.market), array_agg(m.from_status),
         array_agg(m.to_status), array_agg(distinct m.mission_id), (select max(e.id) from step_event e)
    into moved_ids, moved_missions, moved_markets, moved_from, moved_to, touched_missions, newest_step_event
    from moved m;

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
           atc.mission_change_json(c.id, c.old_status, c.new_status)
      from changed c
    returning id
  )
  select max(e.id) into newest_mission_event from mission_events e;

  perform pg_notify('atc_events', greatest(newest_step_event, newest_mission_event)::text);

  return query
    select * from unnest(moved_ids, moved_missions, moved_markets, moved_from, moved_to);
end;
$$;
