-- Back to table CHECKs on text columns (0002's names and values).
drop trigger steps_notify_queued on atc.steps;

alter table atc.steps
  alter column status type text,
  alter column kind type text,
  alter column market type text,
  add constraint steps_status_check check (status in (
    'queued', 'running', 'executing', 'succeeded', 'failed', 'needs_reconciliation', 'cancelled',
    'dead'
  )),
  add constraint steps_kind_check check (kind in (
    'analyze', 'calculate_risk', 'execute_trade', 'close_position', 'monitor_position', 'roundtable'
  )),
  add constraint steps_market_check check (market in (
    'crypto', 'options', 'futures'
  ));

create trigger steps_notify_queued
  after insert or update of status on atc.steps
  for each row
  when (new.status = 'queued' and new.market is not null)
  execute function atc.notify_step_queued();

alter table atc.missions
  alter column status type text,
  add constraint missions_status_check check (status in (
    'queued', 'running', 'succeeded', 'failed', 'cancelled'
  ));

alter table atc.events
  alter column agent type text,
  alter column market type text,
  add constraint events_agent_check check (agent in (
    'atlas', 'sage', 'scout', 'growth', 'intel', 'observer'
  )),
  add constraint events_market_check check (market in (
    'crypto', 'options', 'futures'
  ));

drop domain atc.step_status;
drop domain atc.step_kind;
drop domain atc.market;
drop domain atc.agent;
drop domain atc.mission_status;
