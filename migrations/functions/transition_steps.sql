-- THE one path for a step's status change once it is claimed (atc.take_claimed_steps stamps the claim
-- itself): a worker settling the steps it holds (a batch, group-committed), trade execution moving its
-- step inside the transaction that records its order or fills, a draining worker handing back steps
-- it never started, the heartbeat recovering expired leases, the reconciler settling steps nobody
-- holds. In one round trip and one transaction (the caller's, or the statement's own): per step the
-- fenced transition, one steps_status_changed event listing every step that moved (contracts:
-- events.ts), then per touched mission the roll-up by atc.mission_status_from_steps and its
-- mission_status_changed event, and one atc_events notification. A step whose fence fails is left
-- alone and absent from the result. `transitions` is a JSON array of
--   {stepId, workerId, attempt, from: [status…], to, error, result (JSON text or null), runAfterMs,
--    leaseExpired, unclaim}
-- The fence: `workerId` + `attempt` name the lease that must still hold the step (owner and fencing
-- token); a null `workerId` means nobody may hold it (a step waiting in needs_reconciliation).
-- `leaseExpired` also requires that lease to have run out (lease recovery: a holder that renewed in
-- time keeps its step). `unclaim` takes the claim's attempt back (a step handed back unstarted: nothing
-- ran under it). The step's status must be one of `from`.
-- It is a function because the roll-up must read sibling steps after the mission lock is granted:
-- within one statement the snapshot predates the wait, so a sibling settled meanwhile would be
-- missed; here the roll-up is a later statement, with a fresh snapshot (read committed).
create or replace function atc.transition_steps(transitions jsonb)
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
           t."to" as to_status, t.error, t.result::jsonb as result, t."runAfterMs" as run_after_ms,
           coalesce(t."leaseExpired", false) as lease_expired, coalesce(t.unclaim, false) as unclaim
      from jsonb_to_recordset(transitions)
        as t("stepId" uuid, "workerId" text, attempt int, "from" text[], "to" text, error text,
             result text, "runAfterMs" int, "leaseExpired" boolean, unclaim boolean)
  ),
  -- The status each step had, for its event. Only the fence's holder (or, for an unheld step, the
  -- one transaction that wins its row lock) moves a step, so the fence below passing means this is
  -- still the status the UPDATE replaces.
  prior as (
    select s.id, s.status, i.*
      from unnest(step_ids) as k(id)
      join atc.steps s on s.id = k.id
      join input i on i.step_id = s.id
  ),
  -- The fence: owner and fencing token (or no owner at all), an expected status, and for a recovery
  -- a lease that has run out, re-checked by the UPDATE on the row it locks (a row changed meanwhile is
  -- re-read), so a lost lease moves nothing and two writers never both move a step.
  moved as (
    update atc.steps s
       set status = p.to_status,
           last_error = coalesce(p.error, s.last_error),
           result = coalesce(p.result, s.result),
           attempt = case when p.unclaim then s.attempt - 1 else s.attempt end,
           run_after = case when p.run_after_ms is null then s.run_after
                            else now() + make_interval(secs => p.run_after_ms::double precision / 1000) end,
           lease_owner = case when p.to_status in ('running', 'executing') then s.lease_owner end,
           lease_expires_at = case when p.to_status in ('running', 'executing') then s.lease_expires_at end,
           finished_at = case when p.to_status in ('succeeded', 'failed', 'cancelled', 'dead', 'needs_reconciliation')
                              then now() else s.finished_at end,
           updated_at = now()
      from prior p
     where s.id = p.id
       and case when p.worker_id is null then s.lease_owner is null
                else s.lease_owner = p.worker_id and s.attempt = p.attempt end
       and (not p.lease_expired or s.lease_expires_at < now())
       and s.status = any(p.from_statuses)
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
