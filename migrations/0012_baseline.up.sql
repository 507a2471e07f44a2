-- The baseline: the schema migrations 0001–0012 built, squashed into one file (the way Django's
-- squashed migrations or Flyway's baseline migrations work). A fresh database runs this file; a
-- database that already has 0001–0012 applied, with the checksums migrations/baseline.json records,
-- is recorded at the baseline without running anything (see migrations/README.md, History). The old
-- files are in git history, and a copy is the fixture of the migrator's tests.
--
-- It writes no function body. Each function of schema atc is declared below with its signature and
-- a placeholder body, like a forward declaration (pg_dump does the same for views that depend on each
-- other): triggers and later migrations can name the function, and the migrator replaces every
-- placeholder with the definition in migrations/functions/<name>.sql once the database is at the
-- newest migration. `up --to` a migration below the newest leaves the placeholders, which raise.

-- Everything atc owns lives in one schema, so it can share a database with other tenants and be
-- dumped, granted and dropped as a unit.
create schema if not exists atc;

-- The migrator's bookkeeping: which migrations ran, and the checksum of each up file as applied,
-- so an edited, already-applied migration is detected instead of silently diverging.
create table atc.schema_migrations (
  id integer primary key check (id > 0),
  name text not null,
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz not null default now()
);

-- The repeatable function definitions of migrations/functions/ the migrator has applied, each with
-- the checksum of its file; a file is applied again when its checksum changes.
create table atc.schema_functions (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz not null default now()
);

-- The enumerated columns of the step queue's tables (steps, missions, events) are domains: every
-- INSERT or UPDATE re-reads, plans and compiles each of its table's CHECKs, whichever columns it
-- writes, which was close to half the fixed cost of the queue's statements; a domain's constraint is
-- compiled once per session and checked only where its column is written (measured by
-- `npm run bench:queue`). The other tables keep their CHECKs. Every value list below, in a domain or
-- a CHECK, equals an enum in @atc/contracts; schema-enums.int.test.ts compares them, so edit both
-- together.

-- The status of a step.
create domain atc.step_status as text
  check (value in (
    'queued', 'running', 'executing', 'succeeded', 'failed', 'needs_reconciliation', 'cancelled',
    'dead'
  ));

-- What a step does.
create domain atc.step_kind as text
  check (value in (
    'analyze', 'calculate_risk', 'execute_trade', 'close_position', 'monitor_position', 'roundtable'
  ));

-- A market.
create domain atc.market as text
  check (value in (
    'crypto', 'options', 'futures'
  ));

-- One of the six agents.
create domain atc.agent as text
  check (value in (
    'atlas', 'sage', 'scout', 'growth', 'intel', 'observer'
  ));

-- The status of a mission.
create domain atc.mission_status as text
  check (value in (
    'queued', 'running', 'succeeded', 'failed', 'cancelled'
  ));

-- The trading core (design.md §6): proposals → missions → steps → orders → fills → positions →
-- outcomes, with policies, daily counters, the events outbox and the hash-chained audit log.

-- Policies carry a global version: every change takes the next value, so max(version) is "the policy
-- version" a decision was made under and a stale approval can be recognised.
create sequence atc.policy_version_seq as bigint;

create table atc.policies (
  key text primary key,
  value jsonb not null,
  version bigint not null default nextval('atc.policy_version_seq'),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  constraint policies_key_check check (key in (
    'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
    'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
    'signal_scan', 'position_management', 'pricing'))
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
  -- price_unavailable: no fresh price for an entry; declared_notional_mismatch: a declared notional
  -- the engine's own price contradicts.
  reason_code text constraint proposals_reason_code_check check (reason_code in (
    'min_confidence', 'stop_loss_required', 'position_size', 'kill_switch', 'market_halted',
    'daily_loss_latched', 'daily_loss_limit', 'no_open_position', 'daily_trade_limit', 'analysis_quota',
    'roundtable_quota', 'max_open_positions', 'total_exposure', 'price_unavailable',
    'declared_notional_mismatch', 'gate_error', 'approver_rejected', 'expired', 'cancelled')),
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
  status atc.mission_status not null default 'queued',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index missions_status_created_at_idx on atc.missions (status, created_at desc);

create table atc.steps (
  id uuid primary key default gen_random_uuid(),
  mission_id uuid not null references atc.missions (id),
  seq integer not null check (seq >= 0),
  kind atc.step_kind not null,
  -- Routing reads this column, never the payload's shape. Venue steps must name their market.
  market atc.market,
  status atc.step_status not null default 'queued',
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
  -- Also serves every lookup of a mission's steps (in seq order, even), so there is no index on
  -- mission_id alone: it only cost an extra entry on each of the updates every step goes through.
  unique (mission_id, seq),
  check (market is not null or kind not in ('execute_trade', 'close_position', 'monitor_position'))
);
-- A step update is never HOT (status is in the partial indexes' predicates), so it writes a new entry
-- in every index whose predicate the new row satisfies: the step indexes are few, and partial.
-- Claiming reads queued steps of one market in (priority, run_after) order: this index hands them
-- over already sorted, so a claim stops after `limit` rows instead of sorting the whole backlog, and
-- it holds queued rows only, so it stays small however many steps have finished.
create index steps_claim_idx on atc.steps (market, priority, run_after) where status = 'queued';
-- Unfinished steps, keyed by lease expiry: serves lease recovery (held steps have a lease; queued and
-- needs_reconciliation ones have none, and nulls sort last) and every "unfinished steps" read (a
-- small set: what is queued, running, or waiting for reconciliation).
create index steps_unfinished_idx on atc.steps (lease_expires_at)
  where status in ('queued', 'running', 'executing', 'needs_reconciliation');
-- observer's health check counts recent failures; finished steps are the bulk of the table.
create index steps_failed_finished_at_idx on atc.steps (finished_at) where status in ('failed', 'dead');

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
  -- What the risk engine admitted and what the order was priced at when sent (design §5, invariant
  -- 10); null for reductions (close_position), which the engine does not size.
  admitted_notional_usd numeric check (admitted_notional_usd >= 0),
  price_source text check (price_source in ('venue_quote', 'mark')),
  priced_at timestamptz,
  send_price numeric check (send_price > 0),
  send_notional_usd numeric check (send_notional_usd >= 0),
  unique (step_id, attempt)
);
-- The reconciler scans orders whose venue state is not settled.
create index orders_unsettled_idx on atc.orders (market, created_at)
  where status in ('intent', 'submitted', 'accepted', 'partially_filled', 'unknown');

-- What the crypto venue signed for each client order id, written before the first send, so that any
-- process can look a swap up by client order id and none ever signs a second transaction for it.
create table atc.swap_signatures (
  client_order_id text primary key references atc.orders (client_order_id),
  signature text not null unique,
  last_valid_block_height bigint not null check (last_valid_block_height > 0),
  record jsonb not null,
  created_at timestamptz not null default now()
);

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
  -- In USD (quantity × price move × multiplier).
  unrealised_pnl numeric,
  -- The best mark since the position opened (highest for a long, lowest for a short), which the
  -- trailing stop trails.
  high_water_price numeric,
  check ((status = 'open') = (closed_at is null))
);
-- At most one open position per instrument: fills of both sides net into it.
create unique index positions_open_market_symbol_idx on atc.positions (market, symbol) where status = 'open';
-- mark_to_market marks the stalest positions first when there are more than one run's limit.
create index positions_open_marked_at_idx on atc.positions (marked_at nulls first) where status = 'open';

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
-- The opening fills of a position lead to its entry step (stop-loss, take-profit, proposer).
create index fills_position_id_idx on atc.fills (position_id, filled_at);

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
  created_at timestamptz not null default now(),
  -- Set by learn_from_outcomes once it has learned from the outcome.
  learned_at timestamptz
);
create index outcomes_closed_at_idx on atc.outcomes (closed_at desc);
-- learn_from_outcomes claims outcomes not yet learned from; the partial index holds only those.
create index outcomes_unlearned_idx on atc.outcomes (closed_at) where learned_at is null;
-- trade_reviews reads the recent outcomes of one market (growth's vote).
create index outcomes_market_closed_at_idx on atc.outcomes (market, closed_at desc);

-- One row per execute_trade step of a proposal that passed the gates: the exact order the engine
-- priced (instrument, quantity in the venue's unit, multiplier) and its USD exposure, with the price,
-- where it came from and when. Written in the intake's transaction; execution sends this quantity
-- and the exposure gates sum `notional_usd` for entries not yet settled. Keyed like the steps made
-- from it (proposal, step seq), so it exists before an awaiting proposal has a mission.
create table atc.entry_admissions (
  proposal_id uuid not null references atc.proposals (id),
  step_seq integer not null check (step_seq >= 0),
  market text not null check (market in ('crypto', 'options', 'futures')),
  instrument text not null,
  quantity numeric not null check (quantity > 0),
  multiplier numeric not null check (multiplier > 0),
  -- USD per unit of the instrument, and the USD exposure the limits were checked against.
  price numeric not null check (price > 0),
  notional_usd numeric not null check (notional_usd >= 0),
  price_source text not null check (price_source in ('venue_quote', 'mark')),
  priced_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (proposal_id, step_seq)
);

-- The outbox. `id` orders the stream and is the SSE event id; `type` is checked for shape only
-- because event types grow with features (payloads are zod types in @atc/contracts).
-- A batch's payload runs to a few kilobytes (≈ 190 bytes a step); compressing it cost more CPU than
-- the space it saved, so rows up to a page are stored as they are (larger ones are still compressed).
create table atc.events (
  id bigint generated always as identity primary key,
  type text not null check (type ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'),
  aggregate_type text,
  aggregate_id text,
  market atc.market,
  agent atc.agent,
  tags text[] not null default '{}',
  payload jsonb not null,
  created_at timestamptz not null default now()
) with (toast_tuple_target = 8160);
create index events_type_id_idx on atc.events (type, id);

-- Append-only, hash-chained: hash = sha256(prev_hash ‖ canonical JSON of the row), computed by
-- atc.audit_hash; atc.append_audit appends, serialised by an advisory lock so two writers never chain
-- onto the same head. The triggers that refuse changes are created after the functions, below.
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
-- promote_insights looks only at memories not promoted yet.
create index memories_unpromoted_idx on atc.memories (confidence desc) where not promoted;

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
  errors jsonb not null default '[]',
  -- A run that took over an expired lease names the stuck run it displaced.
  took_over_run_id uuid
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

-- Price samples from the venues' feeds, one per instrument per heartbeat; pruned by age.
create table atc.price_samples (
  id bigint generated always as identity primary key,
  market text not null check (market in ('crypto', 'options', 'futures')),
  instrument text not null,
  last numeric not null check (last > 0),
  -- Cumulative session volume when the feed reports one; a spike is read from its increments.
  volume numeric check (volume >= 0),
  sampled_at timestamptz not null
);
-- The scan reads the latest N samples of one instrument (unique: one sample per instant, so a
-- repeated run at the same clock adds nothing); pruning deletes by age.
create unique index price_samples_instrument_sampled_at_idx
  on atc.price_samples (market, instrument, sampled_at desc);
create index price_samples_sampled_at_idx on atc.price_samples (sampled_at);

-- How far a reader of the events outbox has got (triggers, reaction matrix). Read `for update` by
-- the run that advances it, so two overlapping runs never process the same events twice.
create table atc.event_cursors (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  last_event_id bigint not null default 0 check (last_event_id >= 0),
  updated_at timestamptz not null default now()
);

-- Reaction-matrix cooldowns by `source:target:reaction_type`, set by a conditional upsert so two
-- runs cannot both pass the same cooldown.
create table atc.reaction_cooldowns (
  key text primary key,
  until timestamptz not null
);

-- The functions of schema atc, declared: each signature as migrations/functions/<name>.sql defines
-- it, with a placeholder body that raises. The migrator replaces every placeholder with its file
-- (`create or replace`, which keeps the signature) in the same run, once the database is at the
-- newest migration. A later migration that changes a signature drops this one, as it would have
-- dropped the old definition.
do $$
declare
  signature text;
  name text;
begin
  foreach signature in array array[
    'append_audit(p_actor text, p_action text, p_subject_type text, p_subject_id text, p_details jsonb) returns bigint',
    'audit_hash(prev_hash text, id bigint, actor text, action text, subject_type text, subject_id text, details jsonb, created_at timestamptz) returns text',
    'audit_log_refuse_change() returns trigger',
    'claim_agent_steps(worker_id text, max_steps integer, lease_ms double precision, kinds text[]) returns table (id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamptz)',
    'claim_steps(claim_market text, worker_id text, max_steps integer, lease_ms double precision, kinds text[]) returns table (id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamptz)',
    'mission_change_json(mission_id uuid, from_status text, to_status text) returns jsonb',
    'mission_status_from_steps(statuses text[]) returns text',
    'notify_step_queued() returns trigger',
    'settle_held_steps(transitions jsonb) returns table (id uuid, mission_id uuid, market text, from_status text, to_status text)',
    'step_change_json(step_id uuid, mission_id uuid, market text, from_status text, to_status text, error text) returns text',
    'step_changes_json(changes text) returns jsonb',
    'take_claimed_steps(claimed uuid[], worker_id text, lease_ms double precision) returns table (id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamptz)'
  ] loop
    name := split_part(signature, '(', 1);
    execute format(
      'create function atc.%s language plpgsql as %L',
      signature,
      format(
        'begin raise exception %L using errcode = %L; end',
        format('atc.%s is a placeholder: the migrator defines it from migrations/functions/%s.sql', name, name),
        'object_not_in_prerequisite_state'));
  end loop;
end
$$;

-- The audit log refuses every update, delete and truncate.
create trigger audit_log_append_only before update or delete on atc.audit_log
  for each row execute function atc.audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on atc.audit_log
  for each statement execute function atc.audit_log_refuse_change();

-- Workers LISTEN on `atc_steps` and claim as soon as a step of their market becomes claimable
-- (created queued, or requeued after a retry), instead of waiting for their poll. The payload is
-- the market; PostgreSQL folds identical notifications of one transaction into one.
create trigger steps_notify_queued
  after insert or update of status on atc.steps
  for each row
  when (new.status = 'queued' and new.market is not null)
  execute function atc.notify_step_queued();
