import {
  ConflictError,
  InputError,
  NotFoundError,
  withTransaction,
  type Pool,
  type PoolClient,
} from '@atc/platform';
import { ProposalInput, type ProposalDecision } from '@atc/contracts';
import { readPolicySnapshot } from './policies';
import { heldSlotsOf, recordDecision } from './proposal-decisions';
import type { DecideOptions } from './proposal-intake';
import { selectExpiredAwaiting, selectProposal, type ProposalRow } from './proposals.queries';
import { releaseHeld, runRiskGates } from './risk-gates';
import { insertEntryAdmissions } from './entry-pricing.queries';
import { tradingDayOf } from './trading-day';

export interface ApprovalRequest {
  readonly proposalId: string;
  /** Who decides: `operator:alice`, `roundtable:<conversation id>`. */
  readonly approver: string;
  /** sha256 of the canonical proposal content the approver saw (`contentHash` in listings). */
  readonly contentHash: string;
}

/** Locks an awaiting proposal and checks that the approver saw exactly this content. */
async function lockAwaiting(client: PoolClient, request: ApprovalRequest): Promise<ProposalRow> {
  if (!request.approver.trim()) throw new InputError('an approver is required');
  const row = await selectProposal(client, request.proposalId, 'update');
  if (!row) throw new NotFoundError(`proposal ${request.proposalId} does not exist`);
  if (row.status !== 'awaiting_approval') {
    throw new ConflictError(`proposal ${row.id} is ${row.status}, not awaiting approval`, {
      details: { status: row.status },
    });
  }
  if (row.contentHash !== request.contentHash) {
    throw new ConflictError(`proposal ${row.id} content does not match the hash given; review it again`, {
      details: { expected: row.contentHash },
    });
  }
  return row;
}

function isExpired(row: ProposalRow, asOf: Date): boolean {
  return row.expiresAt !== null && row.expiresAt.getTime() <= asOf.getTime();
}

async function expire(client: PoolClient, row: ProposalRow, by: string): Promise<ProposalDecision> {
  const slots = heldSlotsOf(row);
  if (slots) await releaseHeld(client, slots);
  return recordDecision(
    client,
    { id: row.id, input: ProposalInput.parse(row.content) },
    {
      status: 'expired',
      reasonCode: 'expired',
      reasonMessage: `not decided within the approval TTL (expired at ${row.expiresAt?.toISOString() ?? 'now'})`,
      policyVersion: row.policyVersion,
      slots: null,
      expiresAt: row.expiresAt,
      decidedBy: by,
    },
  );
}

/**
 * Approves an awaiting proposal: gives its slots back and re-runs every gate against the current
 * state and policies, so an approval made stale by a policy tightening is rejected with the new
 * reason. On success the mission and its steps are created in the same transaction.
 */
export async function approveProposal(
  pool: Pool,
  request: ApprovalRequest,
  options: DecideOptions,
): Promise<ProposalDecision> {
  return withTransaction(pool, (client) => approveProposalIn(client, request, options));
}

/** `approveProposal` in the caller's transaction (the heartbeat's trade review records its votes with it). */
export async function approveProposalIn(
  client: PoolClient,
  request: ApprovalRequest,
  options: DecideOptions,
): Promise<ProposalDecision> {
  const row = await lockAwaiting(client, request);
  if (isExpired(row, options.asOf)) return expire(client, row, request.approver);
  const input = ProposalInput.parse(row.content);
  const held = heldSlotsOf(row);
  if (held) await releaseHeld(client, held);
  const policies = await readPolicySnapshot(client);
  const { asOf } = options;
  const tradingDay = tradingDayOf(policies.calendar.timeZone, asOf);
  const gates = await runRiskGates(client, {
    input,
    policies,
    tradingDay,
    asOf,
    atApproval: true,
    ...(options.quotes ? { quotes: options.quotes } : {}),
  });
  const common = { policyVersion: policies.version, decidedBy: request.approver, expiresAt: null };
  if (!gates.passed) {
    return recordDecision(
      client,
      { id: row.id, input },
      {
        ...common,
        status: 'rejected',
        reasonCode: gates.reasonCode,
        reasonMessage: gates.reasonMessage,
        slots: null,
      },
    );
  }
  // The entries are priced again now; execution holds the order to this pricing.
  await insertEntryAdmissions(client, row.id, gates.entries);
  return recordDecision(
    client,
    { id: row.id, input },
    {
      ...common,
      status: 'approved',
      reasonCode: null,
      reasonMessage: null,
      slots: gates.slots,
    },
  );
}

/** Rejects an awaiting proposal on an approver's word; its slots go back. */
export async function rejectProposal(
  pool: Pool,
  request: ApprovalRequest & { reason: string },
): Promise<ProposalDecision> {
  return withTransaction(pool, (client) => rejectProposalIn(client, request));
}

/** `rejectProposal` in the caller's transaction. */
export async function rejectProposalIn(
  client: PoolClient,
  request: ApprovalRequest & { reason: string },
): Promise<ProposalDecision> {
  if (!request.reason.trim()) throw new InputError('a rejection needs a reason');
  const row = await lockAwaiting(client, request);
  const held = heldSlotsOf(row);
  if (held) await releaseHeld(client, held);
  return recordDecision(
    client,
    { id: row.id, input: ProposalInput.parse(row.content) },
    {
      status: 'rejected',
      reasonCode: 'approver_rejected',
      reasonMessage: request.reason.trim(),
      policyVersion: row.policyVersion,
      slots: null,
      expiresAt: null,
      decidedBy: request.approver,
    },
  );
}

/**
 * Expires awaiting proposals past their TTL and gives their slots back. The heartbeat calls this;
 * `skip locked` lets two sweepers (or an approver) work at once without waiting on each other.
 */
export async function expireProposals(
  pool: Pool,
  options: DecideOptions & { limit?: number },
): Promise<ProposalDecision[]> {
  return withTransaction(pool, (client) => expireProposalsIn(client, options));
}

/** `expireProposals` in the caller's transaction (the heartbeat's, with its statement timeout). */
export async function expireProposalsIn(
  client: PoolClient,
  options: DecideOptions & { limit?: number },
): Promise<ProposalDecision[]> {
  const rows = await selectExpiredAwaiting(client, options.asOf, options.limit ?? 100);
  const decisions: ProposalDecision[] = [];
  for (const row of rows) decisions.push(await expire(client, row, 'expiry'));
  return decisions;
}
