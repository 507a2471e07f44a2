-- Workers LISTEN on `atc_steps` and claim as soon as a step of their market becomes claimable
-- (created queued, or requeued after a retry), instead of waiting for their poll. The payload is
-- the market; PostgreSQL folds identical notifications of one transaction into one.
create or replace function atc.notify_step_queued() returns trigger
language plpgsql
as $$
begin
  perform pg_notify('atc_steps', new.market);
  return null;
end;
$$;
