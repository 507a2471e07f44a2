/**
 * The operator's reads of proposals beyond `selectProposal`: a filtered keyset page, the decisions
 * each proposal's `proposal_decided` events record (the gate results), and the trade-review votes.
 * @module
 */
import { queryRows, type Queryable } from '@atc/platform';
import type { Agent, Market, ProposalStatus, RejectionReason } from '@atc/contracts';
import { type KeysetPage, type KeysetRequest, type TimeKey, timeKeyedPage } from './keyset';
import { proposalColumns, type ProposalRow } from './proposals.queries';

export interface ProposalFilter {
  readonly status?: ProposalStatus | undefined;
  readonly market?: Market | undefined;
  readonly agent?: Agent | undefined;
  /** Created at or after. */
  readonly from?: Date | undefined;
  /** Created before. */
  readonly to?: Date | undefined;
}

/** Newest first; served by proposals_status_created_at_idx when filtered by status. */
export async function pageProposals(
  db: Queryable,
  filter: ProposalFilter,
  page: KeysetRequest<TimeKey>,
): Promise<KeysetPage<ProposalRow, TimeKey>> {
  const rows = await queryRows<ProposalRow & { sortKey: string }>(
    db,
    `select ${proposalColumns}, to_json(p.created_at) #>> '{}' as "sortKey"
       from atc.proposals p
      where ($1::text is null or p.status = $1::text)
        and ($2::text is null or p.agent = $2::text)
        -- a proposal is in a market when one of its steps is (containment on the content's steps)
        and ($3::text is null or p.content->'steps' @> jsonb_build_array(jsonb_build_object('market', $3::text)))
        and ($4::timestamptz is null or p.created_at >= $4::timestamptz)
        and ($5::timestamptz is null or p.created_at < $5::timestamptz)
        and ($6::timestamptz is null or (p.created_at, p.id) < ($6::timestamptz, $7::uuid))
      order by p.created_at desc, p.id desc
      limit $8::int`,
    [
      filter.status ?? null,
      filter.agent ?? null,
      filter.market ?? null,
      filter.from ?? null,
      filter.to ?? null,
      page.after?.at ?? null,
      page.after?.id ?? null,
      page.limit + 1,
    ],
  );
  return timeKeyedPage(rows, page.limit);
}

export interface GateResultRow {
  readonly at: Date;
  readonly status: ProposalStatus;
  readonly reasonCode: RejectionReason | null;
  readonly reasonMessage: string | null;
  readonly policyVersion: number | null;
  readonly decidedBy: string;
}

/** Every decision taken on the proposal (intake, approval, expiry), oldest first. */
export async function selectGateResults(db: Queryable, proposalId: string): Promise<GateResultRow[]> {
  return queryRows<GateResultRow>(
    db,
    `select e.created_at as at, e.payload->>'status' as status,
            e.payload->>'reasonCode' as "reasonCode", e.payload->>'reasonMessage' as "reasonMessage",
            (e.payload->>'policyVersion')::int as "policyVersion", e.payload->>'decidedBy' as "decidedBy"
       from atc.events e
      -- events_type_id_idx narrows to the type; the aggregate id picks the proposal
      where e.type = 'proposal_decided' and e.aggregate_type = 'proposal' and e.aggregate_id = $1::text
      order by e.id`,
    [proposalId],
  );
}

export interface ReviewVoteRow {
  readonly at: Date;
  readonly conversationId: string;
  readonly agent: Agent;
  readonly vote: 'approve' | 'reject' | 'abstain';
  readonly reason: string;
}

/** The trade-review votes cast on the proposal, in the order they were cast. */
export async function selectReviewVotes(db: Queryable, proposalId: string): Promise<ReviewVoteRow[]> {
  return queryRows<ReviewVoteRow>(
    db,
    `select e.created_at as at, e.payload->>'conversationId' as "conversationId",
            e.payload->>'agent' as agent, e.payload->>'vote' as vote, e.payload->>'reason' as reason
       from atc.events e
      where e.type = 'trade_review_vote' and e.payload->>'proposalId' = $1::text
      order by e.id`,
    [proposalId],
  );
}
