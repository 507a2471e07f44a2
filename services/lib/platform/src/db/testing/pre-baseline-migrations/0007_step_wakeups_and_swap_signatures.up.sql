-- Workers LISTEN on `atc_steps` and claim as soon as a step of their market becomes claimable
-- (created queued, or requeued after a retry), instead of waiting for their poll. The payload is
-- the market; PostgreSQL folds identical notifications of one transaction into one.
create function atc.notify_step_queued() returns trigger
language plpgsql
as $$
begin
  perform pg_notify('atc_steps', new.market);
  return null;
end;
$$;

create trigger steps_notify_queued
  after insert or update of status on atc.steps
  for each row
  when (new.status = 'queued' and new.market is not null)
  execute function atc.notify_step_queued();

-- What the crypto venue signed for each client order id, written before the first send, so that any
-- process can look a swap up by client order id and none ever signs a second transaction for it.
create table atc.swap_signatures (
  client_order_id text primary key references atc.orders (client_order_id),
  signature text not null unique,
  last_valid_block_height bigint not null check (last_valid_block_height > 0),
  record jsonb not null,
  created_at timestamptz not null default now()
);
