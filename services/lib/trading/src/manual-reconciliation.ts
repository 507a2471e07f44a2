/**
 * Resolving a step in `needs_reconciliation` by hand, when the reconciler cannot (a venue that cannot
 * look the order up, an outage longer than anyone will wait). The operator states the outcome and the
 * evidence; the step moves through the one transition path (atc.transition_steps, unheld, from
 * `needs_reconciliation`), and the declaration is recorded in the step's result and, with the
 * actor, in the hash-chained audit log (`reconciliation.resolved`, naming the order).
 *
 * A hand-declared fill is not a venue record: it is stored as what the operator declared (source
 * `operator_declared`), and the order's venue columns, the fills and the positions are left alone
 * (design §5, invariant 11). If the order did fill, the next reconcile run's drift report shows the
 * venue's position the ledger lacks. A step resolved as not filled keeps its daily trade slot: only
 * venue proof gives a slot back (the reconciler's path).
 * @module
 */
import type { Pool } from 'pg';
import { ConflictError, InputError, NotFoundError, withTransaction } from '@atc/platform';
import type { Clock, StepStatus } from '@atc/contracts';
import { transitionStep } from '@atc/queue';
import { appendAudit } from './audit-log';
import { selectStepForResolution } from './reconciliation-queue.queries';

export interface HandResolution {
  readonly stepId: string;
  /** `succeeded` and `failed` are accepted as synonyms of `filled` and `not_filled`. */
  readonly outcome: 'filled' | 'not_filled' | 'succeeded' | 'failed';
  readonly evidence: string;
  readonly venueOrderId?: string;
  readonly filledQuantity?: string;
  readonly averagePrice?: string;
  /** The audit log's actor (an API key's name, an operator). */
  readonly by: string;
  readonly clock: Clock;
}

export interface OperatorDeclaration {
  readonly source: 'operator_declared';
  readonly outcome: 'filled' | 'not_filled';
  readonly evidence: string;
  readonly venueOrderId: string | null;
  readonly filledQuantity: string | null;
  readonly averagePrice: string | null;
  readonly by: string;
  readonly at: string;
}

export interface HandResolutionResult {
  readonly stepId: string;
  readonly from: StepStatus;
  readonly to: StepStatus;
  readonly by: string;
  readonly auditId: string;
  readonly declaration: OperatorDeclaration;
}

export const MAX_EVIDENCE_LENGTH = 2000;

function declarationOf(request: HandResolution): OperatorDeclaration {
  const evidence = request.evidence.trim();
  if (!evidence) throw new InputError('evidence is required', { details: { field: 'evidence' } });
  if (evidence.length > MAX_EVIDENCE_LENGTH) {
    throw new InputError(`evidence must be at most ${MAX_EVIDENCE_LENGTH} characters`, {
      details: { field: 'evidence' },
    });
  }
  const outcome = request.outcome === 'filled' || request.outcome === 'succeeded' ? 'filled' : 'not_filled';
  if (outcome === 'not_filled' && (request.filledQuantity ?? request.averagePrice) !== undefined) {
    throw new InputError('a step resolved as not filled cannot declare a fill', {
      details: { field: 'filledQuantity' },
    });
  }
  return {
    source: 'operator_declared',
    outcome,
    evidence,
    venueOrderId: request.venueOrderId ?? null,
    filledQuantity: outcome === 'filled' ? (request.filledQuantity ?? null) : '0',
    averagePrice: request.averagePrice ?? null,
    by: request.by,
    at: request.clock.now().toISOString(),
  };
}

/**
 * Moves the step to `succeeded` (filled) or `failed` (not filled) in one transaction with its audit
 * entry. NotFoundError for an unknown step; ConflictError when it is not (or no longer) waiting in
 * `needs_reconciliation`, or when a fill is declared for a step that never recorded an order.
 */
export async function resolveStepByHand(pool: Pool, request: HandResolution): Promise<HandResolutionResult> {
  const declaration = declarationOf(request);
  return withTransaction(pool, async (client) => {
    const step = await selectStepForResolution(client, request.stepId);
    if (!step) throw new NotFoundError(`step ${request.stepId} does not exist`);
    if (step.status !== 'needs_reconciliation') {
      throw new ConflictError(`step ${request.stepId} is ${step.status}, not needs_reconciliation`, {
        details: { status: step.status },
      });
    }
    if (declaration.outcome === 'filled' && !step.clientOrderId) {
      throw new ConflictError(
        `step ${request.stepId} never recorded an order intent: nothing was sent to fill`,
      );
    }
    const to = declaration.outcome === 'filled' ? 'succeeded' : 'failed';
    const moved = await transitionStep(client, {
      stepId: step.id,
      from: ['needs_reconciliation'],
      to,
      error: to === 'failed' ? `resolved by hand by ${request.by}: not filled` : null,
      result: { clientOrderId: step.clientOrderId, resolvedByHand: true, declaration },
    });
    // The row lock above makes this unreachable short of a leased step; kept so no path writes twice.
    if (!moved) throw new ConflictError(`step ${request.stepId} moved on before it could be resolved`);
    const auditId = await appendAudit(client, {
      actor: request.by,
      action: 'reconciliation.resolved',
      subjectType: 'step',
      subjectId: step.id,
      details: { from: moved.from, to: moved.to, clientOrderId: step.clientOrderId, declaration },
    });
    return { stepId: step.id, from: moved.from, to: moved.to, by: request.by, auditId, declaration };
  });
}
