-- The risk engine prices every entry itself (design §5, invariant 10; issue 13 §1). It records what
-- it admitted, and execution records what it sent against that.

-- Two rejection reasons: no fresh price for an entry, and a declared notional the engine's price
-- contradicts.
alter table atc.proposals drop constraint proposals_reason_code_check;
alter table atc.proposals add constraint proposals_reason_code_check check (reason_code in (
  'min_confidence', 'stop_loss_required', 'position_size', 'kill_switch', 'market_halted',
  'daily_loss_latched', 'daily_loss_limit', 'no_open_position', 'daily_trade_limit', 'analysis_quota',
  'roundtable_quota', 'max_open_positions', 'total_exposure', 'price_unavailable',
  'declared_notional_mismatch', 'gate_error', 'approver_rejected', 'expired', 'cancelled'));

-- The operator-settable pricing policy: staleness bounds, tolerances, the futures exposure measure.
alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
  'signal_scan', 'position_management', 'pricing'));

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

-- The intent records what was admitted and what it was priced at when sent; null for reductions
-- (close_position), which the engine does not size.
alter table atc.orders add column admitted_notional_usd numeric check (admitted_notional_usd >= 0);
alter table atc.orders add column price_source text check (price_source in ('venue_quote', 'mark'));
alter table atc.orders add column priced_at timestamptz;
alter table atc.orders add column send_price numeric check (send_price > 0);
alter table atc.orders add column send_notional_usd numeric check (send_notional_usd >= 0);
