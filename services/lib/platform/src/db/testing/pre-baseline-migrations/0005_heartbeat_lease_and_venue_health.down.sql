drop table atc.venue_health;
alter table atc.heartbeat_runs drop column took_over_run_id;
drop table atc.heartbeat_lease;
