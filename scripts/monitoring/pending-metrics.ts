/**
 * PENDING FROM O1 — DELETE AT MERGE. The business metrics (served by the dashboard's admin /metrics)
 * and the roles' new metrics of issue 17 are registered on another branch. Until it lands, the
 * cross-check accepts these names as well; after it lands, the cross-check's test fails on any name
 * here that the code now registers, so the list empties itself out through review — delete this file
 * and its one use in promql-crosscheck.ts then.
 * @module
 */
export const PENDING_FROM_O1: readonly string[] = [
  'atc_heartbeat_last_success_timestamp_seconds',
  'atc_heartbeat_last_success_duration_seconds',
  'atc_heartbeat_last_success_phase_duration_seconds',
  'atc_heartbeat_runs_last_hour',
  // atc_queue_depth is registered today (by the workers); it moves to the exporter.
  'atc_queue_oldest_queued_age_seconds',
  'atc_reconciliation_backlog',
  'atc_reconciliation_oldest_age_seconds',
  'atc_positions_open',
  'atc_exposure_usd',
  'atc_pnl_today_usd',
  'atc_kill_switch_engaged',
  'atc_loss_latch_engaged',
  'atc_position_drift',
  'atc_trade_executions_last_hour',
  'atc_exporter_last_success_timestamp_seconds',
  // A histogram or a gauge: whichever O1 registered.
  'atc_exporter_query_duration_seconds',
  'atc_exporter_query_duration_seconds_bucket',
  'atc_exporter_query_duration_seconds_sum',
  'atc_exporter_query_duration_seconds_count',
  'atc_exporter_errors_total',
  'atc_trade_executions_total',
  'atc_role_ready',
];
