import type { Queryable } from '@atc/platform';
import type { ProposalDecision, ProposalInput, ProposalStatus, RejectionReason } from '@atc/contracts';
import { appendAudit, type AuditEntry } from './audit-log';
import { appendEvent } from './events.queries';
import { createMission } from './missions';
import { updateDecision, type ProposalRow } from './proposals.queries';
import type { HeldSlots } from './risk-gates';

export interface Decision {
  readonly status: ProposalStatus;
  readonly reasonCode: RejectionReason | null;
  readonly reasonMessage: string | null;
  readonly policyVersion: number | null;
  /** Slots the proposal holds after this decision (none once rejected or expired). */
  readonly slots: HeldSlots | null;
  readonly expiresAt: Date | null;
  readonly decidedBy: string;
}

/**
 * Stores a decision with its event and audit row and, for an approval, the mission and its steps:
 * all in the caller's transaction, audit last (it takes the chain lock).
 */
export async function recordDecision(
  client: Queryable,
  proposal: { id: string; input: ProposalInput },
  decision: Decision,
  /** An audit row that comes first (an operator's submission), written with the decision's. */
  precedingAudit?: AuditEntry,
): Promise<ProposalDecision> {
  const slots = decision.slots ?? { trades: 0, analyses: 0, roundtables: 0, day: null };
  await updateDecision(client, { id: proposal.id, ...decision, slots: { ...slots, day: slots.day } });
  const mission = decision.status === 'approved' ? await createMission(client, proposal) : null;
  await appendEvent(client, {
    type: 'proposal_decided',
    aggregateType: 'proposal',
    aggregateId: proposal.id,
    agent: proposal.input.agent,
    tags: ['proposal', decision.status],
    payload: {
      proposalId: proposal.id,
      agent: proposal.input.agent,
      title: proposal.input.title,
      status: decision.status,
      reasonCode: decision.reasonCode,
      reasonMessage: decision.reasonMessage,
      policyVersion: decision.policyVersion,
      decidedBy: decision.decidedBy,
    },
  });
  if (precedingAudit) await appendAudit(client, precedingAudit);
  await appendAudit(client, {
    actor: decision.decidedBy,
    action: 'proposal.decided',
    subjectType: 'proposal',
    subjectId: proposal.id,
    details: {
      status: decision.status,
      reasonCode: decision.reasonCode,
      reasonMessage: decision.reasonMessage,
      policyVersion: decision.policyVersion,
      missionId: mission?.missionId ?? null,
    },
  });
  return {
    proposalId: proposal.id,
    status: decision.status,
    reasonCode: decision.reasonCode,
    reasonMessage: decision.reasonMessage,
    policyVersion: decision.policyVersion,
    missionId: mission?.missionId ?? null,
    replayed: false,
  };
}

export function decisionOf(row: ProposalRow, replayed: boolean): ProposalDecision {
  return {
    proposalId: row.id,
    status: row.status,
    reasonCode: row.reasonCode,
    reasonMessage: row.reasonMessage,
    policyVersion: row.policyVersion,
    missionId: row.missionId,
    replayed,
  };
}

export function heldSlotsOf(row: ProposalRow): HeldSlots | null {
  if (row.slotsDay === null) return null;
  return {
    trades: row.tradeSlots,
    analyses: row.analysisSlots,
    roundtables: row.roundtableSlots,
    day: row.slotsDay,
  };
}
