import {
  errorMessage,
  withDatabaseRetry,
  withTransaction,
  type Logger,
  type Pool,
  type PoolClient,
} from '@atc/platform';
import { ProposalInput, type ProposalDecision } from '@atc/contracts';
import { appendAudit } from './audit-log';
import { contentHash } from './content-hash';
import { appendEvent } from './events.queries';
import { readPolicySnapshot } from './policies';
import { decisionOf, recordDecision } from './proposal-decisions';
import { insertPendingProposal, insertRejectedProposal, selectProposalByTraceId } from './proposals.queries';
import { routeApproval } from './approval-routing';
import { runRiskGates } from './risk-gates';
import type { PriceQuote } from './entry-pricing';
import { insertEntryAdmissions } from './entry-pricing.queries';
import { parseOrThrow } from './validation';
import { tradingDayOf } from './trading-day';

export interface DecideOptions {
  /**
   * The instant the decision is made as of (trading day, expiry, price ages): read from the caller's
   * clock (the role's or command's `Clock`), never from inside the domain.
   */
  readonly asOf: Date;
  /**
   * Venue quotes the caller took for this proposal's entries (see `priceKeysOf`); the gates prefer a
   * fresh quote and fall back to the latest mark in `atc.price_samples`.
   */
  readonly quotes?: readonly PriceQuote[];
  readonly logger?: Logger;
  /**
   * Who submitted it, when an operator did (`key:<name>` for the API, as every API write): recorded
   * as the actor of a `proposal.submitted` audit row before the gates' decision row.
   */
  readonly submittedBy?: string;
}

const SYSTEM = 'risk-gates';

/** The audit row of an operator's submission; none for the company's own sources (agents, triggers). */
function submissionAudit(id: string, input: ProposalInput, hash: string, options: DecideOptions) {
  return options.submittedBy === undefined
    ? undefined
    : {
        actor: options.submittedBy,
        action: 'proposal.submitted',
        subjectType: 'proposal',
        subjectId: id,
        details: { sourceTraceId: input.sourceTraceId, agent: input.agent, contentHash: hash },
      };
}

async function decideNew(
  client: PoolClient,
  input: ProposalInput,
  hash: string,
  options: DecideOptions,
): Promise<ProposalDecision> {
  const id = await insertPendingProposal(client, { input, contentHash: hash });
  if (id === undefined) {
    // A replay: answer with the first decision and write nothing.
    const first = await selectProposalByTraceId(client, input.sourceTraceId);
    if (!first) throw new Error(`proposal ${input.sourceTraceId} conflicted but cannot be read`);
    return decisionOf(first, true);
  }
  const policies = await readPolicySnapshot(client);
  const { asOf } = options;
  const tradingDay = tradingDayOf(policies.calendar.timeZone, asOf);
  const gates = await runRiskGates(client, {
    input,
    policies,
    tradingDay,
    asOf,
    ...(options.quotes ? { quotes: options.quotes } : {}),
  });
  const common = { policyVersion: policies.version, decidedBy: SYSTEM };
  if (!gates.passed) {
    const { reasonCode, reasonMessage } = gates;
    return recordDecision(
      client,
      { id, input },
      { ...common, status: 'rejected', reasonCode, reasonMessage, slots: null, expiresAt: null },
      submissionAudit(id, input, hash, options),
    );
  }
  await insertEntryAdmissions(client, id, gates.entries);
  const route = routeApproval(input, policies, gates.entries);
  const now = asOf.getTime();
  const expiresAt =
    route.status === 'awaiting_approval'
      ? new Date(now + policies.approval.awaitingTtlMinutes * 60_000)
      : null;
  return recordDecision(
    client,
    { id, input },
    { ...common, status: route.status, reasonCode: null, reasonMessage: null, slots: gates.slots, expiresAt },
    submissionAudit(id, input, hash, options),
  );
}

/** Records a proposal whose gates threw as rejected with `gate_error`: never approved by accident. */
async function failClosed(
  pool: Pool,
  input: ProposalInput,
  hash: string,
  cause: unknown,
  options: DecideOptions,
): Promise<ProposalDecision> {
  options.logger?.error(
    { err: cause, sourceTraceId: input.sourceTraceId },
    'risk gates failed; rejecting the proposal (fail closed)',
  );
  const reasonMessage = `risk gates failed, so the proposal is rejected: ${errorMessage(cause)}`;
  return withTransaction(pool, async (client) => {
    const id = await insertRejectedProposal(client, { input, contentHash: hash, reasonMessage });
    if (id === undefined) {
      const first = await selectProposalByTraceId(client, input.sourceTraceId);
      if (!first) throw new Error(`proposal ${input.sourceTraceId} conflicted but cannot be read`, { cause });
      return decisionOf(first, true);
    }
    await appendEvent(client, {
      type: 'proposal_decided',
      aggregateType: 'proposal',
      aggregateId: id,
      agent: input.agent,
      tags: ['proposal', 'rejected'],
      payload: {
        proposalId: id,
        agent: input.agent,
        title: input.title,
        status: 'rejected',
        reasonCode: 'gate_error',
        reasonMessage,
        policyVersion: null,
        decidedBy: SYSTEM,
      },
    });
    const submitted = submissionAudit(id, input, hash, options);
    if (submitted) await appendAudit(client, submitted);
    await appendAudit(client, {
      actor: SYSTEM,
      action: 'proposal.decided',
      subjectType: 'proposal',
      subjectId: id,
      details: {
        status: 'rejected',
        reasonCode: 'gate_error',
        reasonMessage,
        policyVersion: null,
        missionId: null,
      },
    });
    return {
      proposalId: id,
      status: 'rejected',
      reasonCode: 'gate_error',
      reasonMessage,
      policyVersion: null,
      missionId: null,
      replayed: false,
    };
  });
}

/**
 * The one intake every source uses (agents, triggers, reactions, roundtables, operators): validates
 * with field-level messages (InputError), then decides in one transaction — record, gates, routing,
 * mission — idempotently on `sourceTraceId`. Lost serialization races are retried; any other error
 * rejects the proposal with `gate_error`.
 */
export async function submitProposal(
  pool: Pool,
  raw: unknown,
  options: DecideOptions,
): Promise<ProposalDecision> {
  const input = parseOrThrow(ProposalInput, raw, 'proposal');
  const hash = contentHash(input);
  try {
    return await withDatabaseRetry(
      () => withTransaction(pool, (client) => decideNew(client, input, hash, options)),
      {
        ...(options.logger ? { logger: options.logger } : {}),
      },
    );
  } catch (error) {
    return failClosed(pool, input, hash, error, options);
  }
}

/**
 * The same intake inside the caller's transaction, for the heartbeat: a trigger's fire, a
 * reaction's processing and the proposal they create commit or roll back together (a cancelled
 * phase leaves neither). No retry and no fail-closed record here: an error aborts the caller's
 * transaction, so nothing is approved by accident and the next run tries again.
 */
export async function submitProposalIn(
  client: PoolClient,
  raw: unknown,
  options: DecideOptions,
): Promise<ProposalDecision> {
  const input = parseOrThrow(ProposalInput, raw, 'proposal');
  return decideNew(client, input, contentHash(input), options);
}
