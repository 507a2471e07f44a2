import Decimal from 'decimal.js';
import type { ProposalInput, StepKind } from '@atc/contracts';
import type { PolicySnapshot } from './policies';
import type { AdmittedEntry } from './risk-gates';

export interface Route {
  readonly status: 'approved' | 'awaiting_approval';
  readonly why: string;
}

/**
 * Who decides a proposal that passed the gates. Analysis-type work the policy lists is approved at
 * once; trades are approved at once only when small (by the gates' priced exposure, `entries`) and
 * confident enough; everything else waits for a roundtable vote or an operator.
 */
export function routeApproval(
  input: ProposalInput,
  policies: PolicySnapshot,
  entries: readonly AdmittedEntry[],
): Route {
  const { autoApproveStepKinds, autoApproveTrades } = policies.approval;
  const autoKinds = new Set<StepKind>(autoApproveStepKinds);
  const kinds = new Set(input.steps.map((step) => step.kind));
  const others = [...kinds].filter((kind) => kind !== 'execute_trade' && !autoKinds.has(kind));
  if (others.length > 0) {
    return { status: 'awaiting_approval', why: `steps ${others.join(', ')} need a vote or an operator` };
  }
  if (!kinds.has('execute_trade') || autoKinds.has('execute_trade')) {
    return { status: 'approved', why: 'every step kind is auto-approved by policy' };
  }
  if (!autoApproveTrades.enabled)
    return { status: 'awaiting_approval', why: 'trades need a vote or an operator' };
  const threshold = new Decimal(autoApproveTrades.maxNotionalUsd);
  const large = entries.some((admitted) => new Decimal(admitted.entry.notionalUsd).gte(threshold));
  if (large)
    return {
      status: 'awaiting_approval',
      why: `a trade of ${threshold.toString()} USD or more needs a vote`,
    };
  if (input.confidence < autoApproveTrades.minConfidence) {
    return {
      status: 'awaiting_approval',
      why: `confidence ${input.confidence} is below the auto-approval floor ${autoApproveTrades.minConfidence}`,
    };
  }
  return { status: 'approved', why: 'a small trade above the confidence floor' };
}
