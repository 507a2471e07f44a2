delete from atc.heartbeat_runs where status = 'skipped';
alter table atc.heartbeat_runs drop constraint heartbeat_runs_status_check;
alter table atc.heartbeat_runs add constraint heartbeat_runs_status_check
  check (status in ('running', 'success', 'partial_failure', 'failure'));
drop index atc.orders_created_at_idx;
