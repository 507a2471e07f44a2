import { queryOne, queryRows, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { Agent, ProposalInput, ProposalSource, ProposalStatus, RejectionReason } from '@atc/contracts';

export interface ProposalRow {
  readonly id: string;
  readonly source: ProposalSource;
  readonly sourceTraceId: string;
  readonly agent: Agent;
  readonly title: string;
  readonly confidence: string;
  readonly content: ProposalInput;
  readonly contentHash: string;
  readonly status: ProposalStatus;
  readonly reasonCode: RejectionReason | null;
  readonly reasonMessage: string | null;
  readonly policyVersion: number | null;
  readonly tradeSlots: number;
  readonly analysisSlots: number;
  readonly roundtableSlots: number;
  readonly slotsDay: string | null;
  readonly expiresAt: Date | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
  readonly createdAt: Date;
  readonly missionId: string | null;
}

export const proposalColumns = `p.id, p.source, p.source_trace_id as "sourceTraceId", p.agent, p.title,
  p.confidence::text as confidence, p.content, p.content_hash as "contentHash", p.status,
  p.reason_code as "reasonCode", p.reason_message as "reasonMessage",
  p.policy_version::int as "policyVersion", p.trade_slots as "tradeSlots",
  p.analysis_slots as "analysisSlots", p.roundtable_slots as "roundtableSlots",
  p.slots_day::text as "slotsDay", p.expires_at as "expiresAt", p.decided_by as "decidedBy",
  p.decided_at as "decidedAt", p.created_at as "createdAt",
  (select m.id from atc.missions m where m.proposal_id = p.id) as "missionId"`;

/**
 * Inserts the proposal as `pending`, or nothing when its sourceTraceId exists. A concurrent insert
 * of the same trace id waits on the unique index until the first transaction ends, so a replay
 * never races past the first decision.
 */
export async function insertPendingProposal(
  db: Queryable,
  proposal: { input: ProposalInput; contentHash: string; traceparent: string | null },
): Promise<string | undefined> {
  const { input } = proposal;
  const [row] = await runPrepared<{ id: string }>(
    db,
    'insert_pending_proposal',
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash,
                                traceparent)
     values ($1::text, $2::text, $3::text, $4::text, $5::numeric, $6::jsonb, $7::text, $8::text)
     on conflict (source_trace_id) do nothing
     returning id`,
    [
      input.source,
      input.sourceTraceId,
      input.agent,
      input.title,
      input.confidence,
      JSON.stringify(input),
      proposal.contentHash,
      proposal.traceparent,
    ],
  );
  return row?.id;
}

export async function selectProposalByTraceId(
  db: Queryable,
  sourceTraceId: string,
): Promise<ProposalRow | undefined> {
  return queryOne<ProposalRow>(
    db,
    `select ${proposalColumns} from atc.proposals p where p.source_trace_id = $1::text`,
    [sourceTraceId],
  );
}

export async function selectProposal(
  db: Queryable,
  id: string,
  lock: 'none' | 'update' = 'none',
): Promise<ProposalRow | undefined> {
  // `for update of p`: the mission subquery must not be locked along with the proposal.
  const suffix = lock === 'update' ? ' for update of p' : '';
  return queryOne<ProposalRow>(
    db,
    `select ${proposalColumns} from atc.proposals p where p.id = $1::uuid${suffix}`,
    [id],
  );
}

export interface DecisionUpdate {
  readonly id: string;
  readonly status: ProposalStatus;
  readonly reasonCode: RejectionReason | null;
  readonly reasonMessage: string | null;
  readonly policyVersion: number | null;
  readonly slots: { trades: number; analyses: number; roundtables: number; day: string | null };
  readonly expiresAt: Date | null;
  readonly decidedBy: string | null;
}

export async function updateDecision(db: Queryable, decision: DecisionUpdate): Promise<void> {
  await runPrepared(
    db,
    'update_proposal_decision',
    `update atc.proposals
        set status = $2::text, reason_code = $3::text, reason_message = $4::text,
            policy_version = $5::bigint, trade_slots = $6::int, analysis_slots = $7::int,
            roundtable_slots = $8::int, slots_day = $9::date, expires_at = $10::timestamptz,
            decided_by = $11::text, decided_at = now(), updated_at = now()
      where id = $1::uuid`,
    [
      decision.id,
      decision.status,
      decision.reasonCode,
      decision.reasonMessage,
      decision.policyVersion,
      decision.slots.trades,
      decision.slots.analyses,
      decision.slots.roundtables,
      decision.slots.day,
      decision.expiresAt,
      decision.decidedBy,
    ],
  );
}

/** Fail-closed record: the proposal as rejected with `gate_error`, outside the failed transaction. */
export async function insertRejectedProposal(
  db: Queryable,
  proposal: { input: ProposalInput; contentHash: string; reasonMessage: string; traceparent: string | null },
): Promise<string | undefined> {
  const { input } = proposal;
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash,
                                status, reason_code, reason_message, decided_by, decided_at, traceparent)
     values ($1::text, $2::text, $3::text, $4::text, $5::numeric, $6::jsonb, $7::text,
             'rejected', 'gate_error', $8::text, 'risk-gates', now(), $9::text)
     on conflict (source_trace_id) do nothing
     returning id`,
    [
      input.source,
      input.sourceTraceId,
      input.agent,
      input.title,
      input.confidence,
      JSON.stringify(input),
      proposal.contentHash,
      proposal.reasonMessage,
      proposal.traceparent,
    ],
  );
  return row?.id;
}

/** Awaiting proposals past their expiry, locked; skip locked so two sweepers split the work. */
export async function selectExpiredAwaiting(
  db: Queryable,
  asOf: Date,
  limit: number,
): Promise<ProposalRow[]> {
  return queryRows<ProposalRow>(
    db,
    `select ${proposalColumns} from atc.proposals p
      where p.status = 'awaiting_approval' and p.expires_at <= $1::timestamptz
      order by p.expires_at
      limit $2::int
      for update of p skip locked`,
    [asOf, limit],
  );
}
