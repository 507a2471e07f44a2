-- The heartbeat's single flight (design §5, invariant 6) and the breaker states `atc status` reads.
--
-- A lease row rather than an advisory lock: a session lock lives as long as its connection, so a run
-- that hangs (not killed) would hold it forever, and a transaction-mode pooler would lose it. A row
-- with an expiry lets a stuck run be taken over, names its holder for `atc status`, and remembers the
-- run it displaced, so the takeover can mark that run failed.
create table atc.heartbeat_lease (
  -- One row: the name is the primary key and may only be 'heartbeat'.
  name text primary key check (name = 'heartbeat'),
  owner text not null,
  -- The run holding the lease; null once that run released it. A takeover that finds it non-null
  -- displaced a run that never finished (killed or hung).
  run_id uuid,
  acquired_at timestamptz not null,
  renewed_at timestamptz not null,
  expires_at timestamptz not null,
  -- Set by a takeover: the holder it displaced.
  previous_owner text,
  previous_run_id uuid,
  previous_expires_at timestamptz
);

-- A run that took over an expired lease names the stuck run it displaced.
alter table atc.heartbeat_runs add column took_over_run_id uuid;

-- The last breaker state each process reported for each venue (the heartbeat writes its own clients'
-- states after every run); read by `atc status`. `reporter` is the role, so one row per venue and role.
-- Venue names and breaker states are the venues package's types, not contracts enums, so they are
-- checked for shape only (an enum CHECK must equal a contracts enum, see schema-enums.int.test.ts).
create table atc.venue_health (
  venue text not null check (venue ~ '^[a-z][a-z0-9_]*$'),
  reporter text not null check (reporter ~ '^[a-z][a-z0-9_-]*$'),
  breaker_state text not null check (breaker_state ~ '^[a-z][a-z_]*$'),
  reported_at timestamptz not null,
  primary key (venue, reporter)
);
