/**
 * How live events change the cached reads: each event type names the queries it makes stale. A
 * frame's batch invalidates each query once, however many of its events touch it.
 * @module
 */
import type { StreamEvent } from '@atc/contracts';
import { queryKeys } from '../api/query-keys';

type QueryKey = readonly string[];

const STATUS_AND_POSITIONS = [queryKeys.status, queryKeys.positions];

const STALE_BY_TYPE: Readonly<Record<string, readonly QueryKey[]>> = {
  proposal_decided: [queryKeys.proposals, queryKeys.status],
  trade_review_vote: [queryKeys.proposals],
  trade_review_decided: [queryKeys.proposals],
  mission_created: [queryKeys.status],
  mission_status_changed: [queryKeys.status],
  steps_status_changed: [queryKeys.status],
  order_created: [queryKeys.status],
  order_status_changed: STATUS_AND_POSITIONS,
  fill_recorded: STATUS_AND_POSITIONS,
  position_changed: STATUS_AND_POSITIONS,
  outcome_recorded: STATUS_AND_POSITIONS,
  position_exit_triggered: STATUS_AND_POSITIONS,
  position_drift_detected: [queryKeys.status],
  halt_changed: [queryKeys.status],
  loss_latch_changed: [queryKeys.status],
};

/** The distinct query keys a batch of events makes stale. */
function staleQueries(events: readonly StreamEvent[]): QueryKey[] {
  const seen = new Map<string, QueryKey>();
  for (const event of events) {
    for (const key of STALE_BY_TYPE[event.type] ?? []) seen.set(key.join('/'), key);
  }
  return [...seen.values()];
}

export { staleQueries };
