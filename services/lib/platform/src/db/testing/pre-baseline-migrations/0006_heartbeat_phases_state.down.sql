drop index atc.steps_failed_finished_at_idx;
drop index atc.outcomes_market_closed_at_idx;
drop index atc.memories_unpromoted_idx;
drop index atc.outcomes_unlearned_idx;
alter table atc.outcomes drop column learned_at;
drop table atc.reaction_cooldowns;
drop table atc.event_cursors;
drop table atc.price_samples;
drop index atc.fills_position_id_idx;
drop index atc.positions_open_marked_at_idx;
alter table atc.positions drop column high_water_price;
alter table atc.positions drop column unrealised_pnl;
delete from atc.policies where key in ('signal_scan', 'position_management');
alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts'));
