-- State the heartbeat's domain phases keep between runs (issue 6): marks and trailing-stop high
-- water on positions, price samples for intel's signal scan, event cursors for triggers and the
-- reaction matrix, persisted reaction cooldowns, and which outcomes have been learned from.

-- Two operator-settable policies: the scan's universe and thresholds, and position management.
alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
  'signal_scan', 'position_management'));

-- mark_price and marked_at exist since 0002. unrealised_pnl is in USD (quantity × price move ×
-- multiplier); high_water_price is the best mark since the position opened (highest for a long,
-- lowest for a short), which the trailing stop trails.
alter table atc.positions add column unrealised_pnl numeric;
alter table atc.positions add column high_water_price numeric;
-- mark_to_market marks the stalest positions first when there are more than one run's limit.
create index positions_open_marked_at_idx on atc.positions (marked_at nulls first) where status = 'open';

-- The opening fills of a position lead to its entry step (stop-loss, take-profit, proposer).
create index fills_position_id_idx on atc.fills (position_id, filled_at);

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

-- learn_from_outcomes claims outcomes not yet learned from; the partial index holds only those.
alter table atc.outcomes add column learned_at timestamptz;
create index outcomes_unlearned_idx on atc.outcomes (closed_at) where learned_at is null;

-- promote_insights looks only at memories not promoted yet.
create index memories_unpromoted_idx on atc.memories (confidence desc) where not promoted;

-- trade_reviews reads the recent outcomes of one market (growth's vote).
create index outcomes_market_closed_at_idx on atc.outcomes (market, closed_at desc);

-- observer's health check counts recent failures; finished steps are the bulk of the table.
create index steps_failed_finished_at_idx on atc.steps (finished_at) where status in ('failed', 'dead');
