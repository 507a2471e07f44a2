-- The dashboard's business-metrics exporter (issue 17, docs/operations/metrics.md) reads these tables
-- on every scrape; each of its queries must stay index-backed at the benchmark's scale.

-- Trade executions of the last hour by market and result: a range on created_at. Without it the
-- exporter read every order ever placed (orders_unsettled_idx holds only unsettled ones).
create index orders_created_at_idx on atc.orders (created_at);

-- A run that found the lease held by another run is recorded as 'skipped' (it wrote nothing before),
-- so skipped runs can be counted and alerted on like failed ones. Such a row starts and finishes at
-- once; readers of "the last run" skip it (it did no work).
alter table atc.heartbeat_runs drop constraint heartbeat_runs_status_check;
alter table atc.heartbeat_runs add constraint heartbeat_runs_status_check
  check (status in ('running', 'success', 'partial_failure', 'failure', 'skipped'));
