-- Operator API authentication (issue 15). API keys get a unique name (the audit log's actor and the
-- handle `atc apikey revoke NAME` takes), the key's first characters for listings (`prefix`), and an
-- optional expiry. key_hash stays the hex SHA-256 of the whole key: the secret is 256 random bits,
-- so a fast hash is enough (no password stretching) and lookups are by the hash's unique index.
-- No code wrote atc.api_keys before this migration, so `prefix` needs no backfill; the default only
-- lets the column be added to a table that could in principle hold rows, and is dropped at once.
alter table atc.api_keys add column prefix text not null default '';
alter table atc.api_keys alter column prefix drop default;
alter table atc.api_keys add column expires_at timestamptz;
alter table atc.api_keys add constraint api_keys_name_key unique (name);

-- Single-use tickets for the browser's EventSource, which cannot send an Authorization header
-- (docs/api/auth.md). In the database rather than in a process's memory, so a ticket issued by one
-- dashboard replica is accepted by another. Only the ticket's hash is stored.
create table atc.stream_tickets (
  ticket_hash text primary key,
  principal_name text not null,
  role text not null check (role in ('viewer', 'operator', 'admin')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  -- Set by the one redemption that wins (`update … where used_at is null`).
  used_at timestamptz
);
-- Expired tickets are deleted by expiry when new ones are issued.
create index stream_tickets_expires_at_idx on atc.stream_tickets (expires_at);
