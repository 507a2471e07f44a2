-- Claims up to `max_steps` queued steps of one market whose run_after has come, by priority then
-- run_after, skipping rows another claimer holds; see take_claimed_steps for what a claim records.
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
set enable_seqscan = off
as $$
begin
  -- Served by steps_claim_idx: queued rows of one market, already in (priority, run_after) order.
  return query
    select * from atc.take_claimed_steps(
      array(
        select s.id
          from atc.steps s
         where s.market = claim_market
           and s.status = 'queued'
           and s.run_after <= now()
           and s.kind = any(kinds)
         order by s.priority, s.run_after
         limit max_steps
           for update skip locked),
      worker_id,
      lease_ms);
end;
$$;
