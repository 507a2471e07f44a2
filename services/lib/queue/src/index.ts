/**
 * @atc/queue — the step queue in PostgreSQL and the worker runtime that drains it: claims with
 * leases and fencing tokens, the one path of every step status change after a claim
 * (`atc.transition_steps`, one `steps_status_changed` event, the mission roll-up), the settle
 * batcher, wake-ups on `atc_steps`, and the runtime's metrics. The market executors live with the
 * roles that run them; the trade executor in @atc/trading.
 * @module
 */
export {
  claimAgentSteps,
  claimSteps,
  queueDepth,
  renewLeases,
  type ClaimedStep,
  type ClaimOptions,
  type QueueDepthRow,
  type StepLease,
} from './step-queue.queries';
export {
  recoverExpiredLeases,
  releaseUnstartedSteps,
  transitionStep,
  transitionSteps,
  type FencedTransition,
  type TransitionedStep,
} from './step-transitions.queries';
export { SettleBatcher } from './settle-batcher';
export {
  DEFAULT_STEP_BACKOFF,
  retryDelayMs,
  settleStep,
  transitionForOutcome,
  type RetryBackoff,
  type SettledAs,
  type StepExecutionContext,
  type StepExecutor,
  type StepOutcome,
} from './step-runner';
export { WorkerRuntime, type WorkerRuntimeOptions } from './worker-runtime';
export { STEPS_CHANNEL, StepNotifications } from './step-notifications';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics';
