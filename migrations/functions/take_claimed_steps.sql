-- Takes steps the caller has just locked with `for update skip locked` (ids in claim order): stamps
-- the lease (owner, expiry, attempt + 1 — the fencing token), writes the claim's event, moves the
-- missions still queued to running, each with its event (locked in id order, as atc.transition_steps
-- locks them, so claims and settles never deadlock on missions), and notifies atc_events once.
-- Rows come back in claim order. The claim is the one step status change not made by
-- atc.transition_steps: it stamps a lease rather than checking one. Its event has the same shape,
-- and its roll-up is the one case of atc.mission_status_from_steps a claim can reach (a mission
-- whose steps were all queued has one running now: running).
create or replace function atc.take_claimed_steps(claimed uuid[], worker_id text, lease_ms double precision)
returns table (
  id uuid, mission_id uuid, kind text, market text, attempt int, max_attempts int, payload jsonb,
  lease_owner text, lease_expires_at timestamptz
)
language plpgsql
-- Key lookups only, planned once per session (see transition_steps).
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
