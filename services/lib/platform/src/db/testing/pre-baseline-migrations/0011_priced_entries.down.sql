alter table atc.orders drop column send_notional_usd;
alter table atc.orders drop column send_price;
alter table atc.orders drop column priced_at;
alter table atc.orders drop column price_source;
alter table atc.orders drop column admitted_notional_usd;

drop table atc.entry_admissions;

delete from atc.policies where key = 'pricing';
alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
  'signal_scan', 'position_management'));

update atc.proposals set reason_code = 'gate_error'
 where reason_code in ('price_unavailable', 'declared_notional_mismatch');
alter table atc.proposals drop constraint proposals_reason_code_check;
alter table atc.proposals add constraint proposals_reason_code_check check (reason_code in (
  'min_confidence', 'stop_loss_required', 'position_size', 'kill_switch', 'market_halted',
  'daily_loss_latched', 'daily_loss_limit', 'no_open_position', 'daily_trade_limit', 'analysis_quota',
  'roundtable_quota', 'max_open_positions', 'total_exposure', 'gate_error', 'approver_rejected',
  'expired', 'cancelled'));
