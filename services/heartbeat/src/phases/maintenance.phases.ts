import { fixedClock } from '@atc/contracts';
import { expireProposalsIn, reconcile } from '@atc/trading';
import { recoverExpiredLeases } from '@atc/queue';
import type { HeartbeatPhase, PhaseResult } from './heartbeat-phase';
import { inPhaseTransaction, throwIfCancelled } from './phase-transaction';

export interface MaintenanceSettings {
  readonly maxExpiries: number;
  readonly maxLeaseRecoveries: number;
  readonly maxReconciliations: number;
}

/** Awaiting proposals past their TTL expire and give their slots back (approvals.ts). */
export function expireProposalsPhase(settings: MaintenanceSettings): HeartbeatPhase {
  return {
    name: 'expire_proposals',
    async run(context): Promise<PhaseResult> {
      const decisions = await inPhaseTransaction(context, (client) =>
        expireProposalsIn(client, { asOf: context.now, limit: settings.maxExpiries, logger: context.logger }),
      );
      return { summary: { expired: decisions.length } };
    },
  };
}

/**
 * Steps whose worker lease ran out: running → queued, executing → needs_reconciliation (the queue's
 * rule), with their event and mission roll-ups in the same statement (atc.transition_steps).
 */
export function recoverLeasesPhase(settings: MaintenanceSettings): HeartbeatPhase {
  return {
    name: 'recover_leases',
    async run(context): Promise<PhaseResult> {
      const steps = await inPhaseTransaction(context, async (client) => {
        const recovered = await recoverExpiredLeases(client, settings.maxLeaseRecoveries);
        throwIfCancelled(context);
        return recovered;
      });
      return {
        summary: {
          requeued: steps.filter((s) => s.to === 'queued').length,
          toReconciliation: steps.filter((s) => s.to === 'needs_reconciliation').length,
        },
      };
    },
  };
}

/**
 * The reconciler as actor `heartbeat`. It commits per step (each settlement is whole on its own),
 * so cancellation stops it between runs rather than rolling back what it settled.
 */
export function reconcilePhase(settings: MaintenanceSettings): HeartbeatPhase {
  return {
    name: 'reconcile',
    async run(context): Promise<PhaseResult> {
      throwIfCancelled(context);
      const report = await reconcile({
        pool: context.pool,
        venues: context.venues,
        actor: 'heartbeat',
        logger: context.logger,
        // The run's one instant: a fill learned in this run is stamped with the run's time.
        clock: fixedClock(context.now),
        limit: settings.maxReconciliations,
      });
      return {
        summary: {
          examined: report.examined,
          succeeded: report.succeeded,
          failed: report.failed,
          stillUnknown: report.stillUnknown,
          oldestUnknownSeconds: report.oldestUnknownSeconds,
          workingOrdersUpdated: report.workingOrdersUpdated,
          drift: report.drift.length,
          // Per market for atc_position_drift{market}, read back from heartbeat_runs by the exporter.
          ...driftByMarket(report.drift),
        },
      };
    },
  };
}

/** `drift:<market>` → how many positions of that market disagree with the venue; absent when none. */
function driftByMarket(drift: readonly { readonly market: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of drift) counts[`drift:${d.market}`] = (counts[`drift:${d.market}`] ?? 0) + 1;
  return counts;
}
