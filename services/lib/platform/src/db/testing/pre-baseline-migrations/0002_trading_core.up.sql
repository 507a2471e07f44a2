-- The trading core (design.md §6): proposals → missions → steps → orders → fills → positions →
-- outcomes, with policies, daily counters, the events outbox and the hash-chained audit log.
-- Every value list in a CHECK below equals an enum in @atc/contracts; schema-enums.int.test.ts
-- compares them, so edit both together.

-- Policies carry a global version: every change takes the next value, so max(version) is "the policy
-- version" a decision was made under and a stale approval can be recognised.
create sequence atc.policy_version_seq as bigint;

create table atc.policies (
  key text primary key check (key in (
    'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
    'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts')),
  value jsonb not null,
  version bigint not null default nextval('atc.policy_version_seq'),
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- The halts row exists from the start: a worker reads it `for share` before every venue call and a
-- missing row must never read as "not halted".
insert into atc.policies (key, value, updated_by) values (
  'halts',
  '{"global": null, "markets": {"crypto": null, "options": null, "futures": null}, "lossLatch": null}',
  'migration'
);

-- Daily slots (trades, analyses, roundtables) per trading day in the policy's time zone. A slot is
-- taken with one conditional upsert (never check-then-act) and given back by a guarded decrement.
create table atc.counters (
  name text not null check (name in ('trades', 'analyses', 'roundtables')),
  trading_day date not null,
  value integer not null default 0 check (value >= 0),
  updated_at timestamptz not null default now(),
  primary key (name, trading_day)
);

create table atc.proposals (
  id uuid primary key default gen_random_uuid(),
  source text not null check (source in ('agent', 'trigger', 'reaction', 'roundtable', 'operator')),
  -- Idempotency key: a replayed submission returns the first decision and writes nothing.
  source_trace_id text not null unique,
  agent text not null check (agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  title text not null,
  confidence numeric(5, 4) not null check (confidence between 0 and 1),
  content jsonb not null,
  -- sha256 of the canonical JSON of `content`: approve/reject must name it, so an approver can
  -- only decide on exactly what they saw.
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  status text not null default 'pending' check (status in (
    'pending', 'awaiting_approval', 'approved', 'rejected', 'expired', 'cancelled')),
  reason_code text check (reason_code in (
    'min_confidence', 'stop_loss_required', 'position_size', 'kill_switch', 'market_halted',
    'daily_loss_latched', 'daily_loss_limit', 'no_open_position', 'daily_trade_limit', 'analysis_quota',
    'roundtable_quota', 'max_open_positions', 'total_exposure', 'gate_error', 'approver_rejected',
    'expired', 'cancelled')),
  reason_message text,
  policy_version bigint,
  -- Slots this proposal holds on `slots_day`; given back (and zeroed) on rejection or expiry.
  trade_slots integer not null default 0 check (trade_slots >= 0),
  analysis_slots integer not null default 0 check (analysis_slots >= 0),
  roundtable_slots integer not null default 0 check (roundtable_slots >= 0),
  slots_day date,
  expires_at timestamptz,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A rejection always says why; expiry and cancellation name themselves; nothing else has a reason.
  check (case status
    when 'rejected' then reason_code is not null and reason_code not in ('expired', 'cancelled')
    when 'expired' then reason_code = 'expired'
    when 'cancelled' then reason_code = 'cancelled'
    else reason_code is null end)
);
-- Listing by status, newest first (dashboard, `atc proposal list`).
create index proposals_status_created_at_idx on atc.proposals (status, created_at desc);
-- The expiry sweep touches only awaiting proposals.
create index proposals_awaiting_expires_at_idx on atc.proposals (expires_at)
  where status = 'awaiting_approval';

create table atc.missions (
  id uuid primary key default gen_random_uuid(),
  proposal_id uuid not null unique references atc.proposals (id),
  title text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index missions_status_created_at_idx on atc.missions (status, created_at desc);

create table atc.steps (
  id uuid primary key default gen_random_uuid(),
  mission_id uuid not null references atc.missions (id),
  seq integer not null check (seq >= 0),
  kind text not null check (kind in (
    'analyze', 'calculate_risk', 'execute_trade', 'close_position', 'monitor_position', 'roundtable')),
  -- Routing reads this column, never the payload's shape. Venue steps must name their market.
  market text check (market in ('crypto', 'options', 'futures')),
  status text not null default 'queued' check (status in (
    'queued', 'running', 'executing', 'succeeded', 'failed', 'needs_reconciliation', 'cancelled', 'dead')),
  priority integer not null default 100,
  run_after timestamptz not null default now(),
  -- Incremented by every claim: the fencing token later writes must present.
  attempt integer not null default 0 check (attempt >= 0),
  max_attempts integer not null default 3 check (max_attempts >= 1),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  payload jsonb not null,
  result jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (mission_id, seq),
  check (market is not null or kind not in ('execute_trade', 'close_position', 'monitor_position'))
);
-- Claiming: queued steps of one market whose run_after has come (issue 4, FOR UPDATE SKIP LOCKED).
create index steps_market_status_run_after_idx on atc.steps (market, status, run_after);
-- Lease recovery scans only steps a worker holds.
create index steps_lease_expires_at_idx on atc.steps (lease_expires_at)
  where status in ('running', 'executing');
create index steps_mission_id_idx on atc.steps (mission_id);
-- The exposure gate sums unsettled entries; finished steps (the vast majority) stay out of the index.
create index steps_active_kind_idx on atc.steps (kind)
  where status in ('queued', 'running', 'executing', 'needs_reconciliation');

create table atc.orders (
  id uuid primary key default gen_random_uuid(),
  step_id uuid not null references atc.steps (id),
  attempt integer not null check (attempt >= 0),
  -- Deterministic from (step id, attempt) and committed before the venue call, so an ambiguous
  -- submit is looked up at the venue instead of resent. Tradier-safe characters only.
  client_order_id text not null unique check (client_order_id ~ '^[A-Za-z0-9-]{1,64}$'),
  market text not null check (market in ('crypto', 'options', 'futures')),
  symbol text not null,
  side text not null check (side in ('buy', 'sell')),
  order_type text not null check (order_type in ('market', 'limit')),
  quantity numeric not null check (quantity > 0),
  limit_price numeric check (limit_price > 0),
  -- Contract size: 1 for crypto, 100 for equity options, the point value for futures.
  multiplier numeric not null default 1 check (multiplier > 0),
  status text not null default 'intent' check (status in (
    'intent', 'submitted', 'accepted', 'partially_filled', 'filled', 'cancelled', 'rejected', 'unknown')),
  venue_order_id text,
  filled_quantity numeric not null default 0 check (filled_quantity >= 0),
  average_fill_price numeric,
  intent jsonb not null default '{}',
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (step_id, attempt)
);
-- The reconciler scans orders whose venue state is not settled.
create index orders_unsettled_idx on atc.orders (market, created_at)
  where status in ('intent', 'submitted', 'accepted', 'partially_filled', 'unknown');

create table atc.positions (
  id uuid primary key default gen_random_uuid(),
  market text not null check (market in ('crypto', 'options', 'futures')),
  symbol text not null,
  side text not null check (side in ('long', 'short')),
  quantity numeric not null check (quantity >= 0),
  average_price numeric not null check (average_price >= 0),
  multiplier numeric not null default 1 check (multiplier > 0),
  realised_pnl numeric not null default 0,
  -- Totals for the outcome: Σ qty·price of the entries and of the exits.
  entry_quantity numeric not null default 0,
  entry_notional numeric not null default 0,
  exit_quantity numeric not null default 0,
  exit_notional numeric not null default 0,
  stop_loss numeric,
  take_profit numeric,
  mark_price numeric,
  marked_at timestamptz,
  status text not null default 'open' check (status in ('open', 'closed')),
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  updated_at timestamptz not null default now(),
  check ((status = 'open') = (closed_at is null))
);
-- At most one open position per instrument: fills of both sides net into it.
create unique index positions_open_market_symbol_idx on atc.positions (market, symbol) where status = 'open';

create table atc.fills (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references atc.orders (id),
  position_id uuid references atc.positions (id),
  market text not null check (market in ('crypto', 'options', 'futures')),
  -- Idempotency: the same venue fill delivered twice is applied once.
  venue_fill_id text not null,
  side text not null check (side in ('buy', 'sell')),
  quantity numeric not null check (quantity > 0),
  price numeric not null check (price >= 0),
  fee numeric not null default 0 check (fee >= 0),
  -- P&L this fill realised (net of its fee); summed per trading day for the daily-loss latch.
  realised_pnl numeric not null default 0,
  filled_at timestamptz not null,
  created_at timestamptz not null default now(),
  unique (market, venue_fill_id)
);
create index fills_order_id_idx on atc.fills (order_id);
-- Today's realised P&L (daily-loss gate) reads fills by time.
create index fills_filled_at_idx on atc.fills (filled_at);

create table atc.outcomes (
  id uuid primary key default gen_random_uuid(),
  position_id uuid not null unique references atc.positions (id),
  market text not null check (market in ('crypto', 'options', 'futures')),
  symbol text not null,
  side text not null check (side in ('long', 'short')),
  quantity numeric not null,
  entry_price numeric not null,
  exit_price numeric not null,
  realised_pnl numeric not null,
  pnl_fraction numeric not null,
  outcome_type text not null check (outcome_type in ('win', 'loss', 'breakeven')),
  hold_seconds integer not null check (hold_seconds >= 0),
  opened_at timestamptz not null,
  closed_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index outcomes_closed_at_idx on atc.outcomes (closed_at desc);

-- The outbox. `id` orders the stream and is the SSE event id; `type` is checked for shape only
-- because event types grow with features (payloads are zod types in @atc/contracts).
create table atc.events (
  id bigint generated always as identity primary key,
  type text not null check (type ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'),
  aggregate_type text,
  aggregate_id text,
  market text check (market in ('crypto', 'options', 'futures')),
  agent text check (agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  tags text[] not null default '{}',
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index events_type_id_idx on atc.events (type, id);

-- Append-only, hash-chained: hash = sha256(prev_hash ‖ canonical JSON of the row). Appends are
-- serialised by an advisory lock so two writers never chain onto the same head.
create table atc.audit_log (
  id bigint generated by default as identity primary key,
  actor text not null,
  action text not null check (action ~ '^[a-z][a-z0-9]*([._][a-z0-9]+)*$'),
  subject_type text not null,
  subject_id text not null,
  details jsonb not null default '{}',
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null unique check (hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null
);

create function atc.audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'atc.audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only before update or delete on atc.audit_log
  for each row execute function atc.audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on atc.audit_log
  for each statement execute function atc.audit_log_refuse_change();

-- Tables the heartbeat, reactions, roundtables, memory and API build on (issues 5–7 extend them).
create table atc.trigger_rules (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  kind text not null check (kind in ('reactive', 'proactive')),
  trigger_event text,
  interval_minutes integer check (interval_minutes > 0),
  conditions jsonb not null default '{}',
  action jsonb not null,
  cooldown_minutes integer not null default 60 check (cooldown_minutes >= 0),
  fire_count integer not null default 0 check (fire_count >= 0),
  last_fired_at timestamptz,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'reactive') = (trigger_event is not null)),
  check ((kind = 'proactive') = (interval_minutes is not null))
);

create table atc.reactions (
  id uuid primary key default gen_random_uuid(),
  source_agent text not null check (source_agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  target_agent text not null check (target_agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  reaction_type text not null,
  event_id bigint references atc.events (id),
  status text not null default 'queued' check (status in ('queued', 'processing', 'processed', 'failed')),
  proposal_id uuid references atc.proposals (id),
  last_error text,
  created_at timestamptz not null default now(),
  processed_at timestamptz
);
create index reactions_status_created_at_idx on atc.reactions (status, created_at);

create table atc.memories (
  id uuid primary key default gen_random_uuid(),
  agent text not null check (agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  type text not null check (type in ('insight', 'pattern', 'strategy', 'preference', 'lesson')),
  content text not null,
  confidence numeric(3, 2) not null check (confidence between 0 and 1),
  tags text[] not null default '{}',
  -- Provenance (an outcome id, a conversation id); text, so any source id fits.
  source_trace_id text,
  promoted boolean not null default false,
  upvotes integer not null default 0,
  downvotes integer not null default 0,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  last_accessed_at timestamptz
);
-- Dedup in the database: one memory per agent per source.
create unique index memories_agent_source_trace_id_idx on atc.memories (agent, source_trace_id)
  where source_trace_id is not null;
create index memories_agent_type_confidence_idx on atc.memories (agent, type, confidence desc);

create table atc.relationships (
  agent_a text not null check (agent_a in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  agent_b text not null check (agent_b in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  affinity numeric(3, 2) not null check (affinity between 0.10 and 0.95),
  total_interactions integer not null default 0,
  drift_log jsonb not null default '[]',
  last_interaction_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (agent_a, agent_b),
  -- One row per undirected pair.
  check (agent_a < agent_b)
);

create table atc.conversations (
  id uuid primary key default gen_random_uuid(),
  format text not null check (format in (
    'morning_standup', 'position_review', 'post_mortem', 'debate', 'strategy_session', 'watercooler',
    'trade_review')),
  topic text not null,
  participants text[] not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
  proposal_id uuid references atc.proposals (id),
  step_id uuid references atc.steps (id),
  transcript jsonb not null default '[]',
  outcome jsonb,
  last_error text,
  scheduled_for timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now()
);
create index conversations_status_scheduled_for_idx on atc.conversations (status, scheduled_for);

create table atc.heartbeat_runs (
  id uuid primary key default gen_random_uuid(),
  status text not null default 'running' check (status in ('running', 'success', 'partial_failure', 'failure')),
  owner text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms integer check (duration_ms >= 0),
  phases jsonb not null default '[]',
  errors jsonb not null default '[]'
);
create index heartbeat_runs_started_at_idx on atc.heartbeat_runs (started_at desc);

create table atc.api_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- Only a hash of the key is stored.
  key_hash text not null unique,
  role text not null check (role in ('viewer', 'operator', 'admin')),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
