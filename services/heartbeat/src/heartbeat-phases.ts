import { evaluateTriggersPhase } from './phases/evaluate-triggers.phase';
import type { HeartbeatPhase } from './phases/heartbeat-phase';
import { learnFromOutcomesPhase, promoteInsightsPhase } from './phases/learning.phases';
import { expireProposalsPhase, reconcilePhase, recoverLeasesPhase } from './phases/maintenance.phases';
import { markToMarketPhase } from './phases/mark-to-market.phase';
import { processReactionsPhase } from './phases/process-reactions.phase';
import { scheduleRoundtablesPhase } from './phases/schedule-roundtables.phase';
import { tradeReviewsPhase } from './phases/trade-reviews.phase';
import type { HeartbeatPhaseFactory } from './heartbeat-process';

/** Per-run bounds of the phases; every field has a default sized for the 1 s target on a large state. */
export interface HeartbeatPhaseOptions {
  /** Open positions marked per run. Default 2000. */
  readonly maxPositionsMarked?: number;
  /** Quotes in flight at once while marking. Default 8. */
  readonly quoteConcurrency?: number;
  /** Close proposals submitted at once by mark-to-market (each its own transaction). Default 4. */
  readonly closeConcurrency?: number;
  /** Events the trigger and reaction readers take per run. Default 500. */
  readonly eventBatch?: number;
  /**
   * How old an event must be before a cursor passes it (an id is visible only at commit). Default
   * 2000 ms; tests pass 0.
   */
  readonly eventSettleMs?: number;
  /** Queued reactions processed per run. Default 10. */
  readonly reactionBatch?: number;
  /** Awaiting trade proposals reviewed per run. Default 10. */
  readonly maxReviews?: number;
  readonly maxExpiries?: number;
  readonly maxLeaseRecoveries?: number;
  readonly maxReconciliations?: number;
  /** Memories promoted per run. Default 5. */
  readonly maxPromotions?: number;
  /** Outcomes learned from per run. Default 20. */
  readonly maxOutcomes?: number;
  /** Pairs below the debate threshold rolled per run. Default 3. */
  readonly maxDebatesPerRun?: number;
}

/** The heartbeat's phases, in the order of `heartbeatPhaseNames`. */
export function createHeartbeatPhases(deps: HeartbeatPhaseOptions = {}): HeartbeatPhase[] {
  const eventBatch = deps.eventBatch ?? 500;
  const eventSettleMs = deps.eventSettleMs ?? 2_000;
  const maintenance = {
    maxExpiries: deps.maxExpiries ?? 100,
    maxLeaseRecoveries: deps.maxLeaseRecoveries ?? 100,
    maxReconciliations: deps.maxReconciliations ?? 100,
  };
  const learning = { maxPromotions: deps.maxPromotions ?? 5, maxOutcomes: deps.maxOutcomes ?? 20 };
  return [
    markToMarketPhase({
      maxPositions: deps.maxPositionsMarked ?? 2_000,
      quoteConcurrency: deps.quoteConcurrency ?? 8,
      closeConcurrency: deps.closeConcurrency ?? 4,
    }),
    evaluateTriggersPhase({ eventBatch, eventSettleMs }),
    processReactionsPhase({ eventBatch, eventSettleMs, reactionBatch: deps.reactionBatch ?? 10 }),
    tradeReviewsPhase({ maxReviews: deps.maxReviews ?? 10 }),
    expireProposalsPhase(maintenance),
    recoverLeasesPhase(maintenance),
    reconcilePhase(maintenance),
    promoteInsightsPhase(learning),
    learnFromOutcomesPhase(learning),
    scheduleRoundtablesPhase({ maxDebatesPerRun: deps.maxDebatesPerRun ?? 3 }),
  ];
}

/**
 * The phases `atc heartbeat` runs, in the order of `heartbeatPhaseNames`, with their default per-run
 * bounds. This is the one place that wires them to the runner.
 */
export const heartbeatPhases: HeartbeatPhaseFactory = () => createHeartbeatPhases();
