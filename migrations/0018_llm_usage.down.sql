drop table atc.llm_budget_alerts;
drop table atc.llm_usage;
delete from atc.policies where key = 'llm';
alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
  'signal_scan', 'position_management', 'pricing'));
