-- Claims agent work (analysis, risk calculations, roundtables) of any market, for the roundtable
-- worker: market workers never claim these kinds. Low volume; served by steps_unfinished_idx.
create or replace function atc.claim_agent_steps(
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
  return query
    select * from atc.take_claimed_steps(
      array(
        select s.id
          from atc.steps s
         where s.status = 'queued'
           and s.run_after <= now()
           and s.kind = any(kinds)
         order by s.priority, s.run_after
         limit max_steps
           for update skip locked),
      worker_id,
      lease_ms);
end;
$$;
