/**
 * A proposal as an operator reviews it: the stored row and content, every gate decision, the entries
 * as the gates priced them (`atc proposal explain`), each order's admitted and send-time pricing, and
 * the trade-review votes.
 * @module
 */
import type { Queryable } from '@atc/platform';
import {
  selectProposalAdmissions,
  selectProposalOrderPricing,
  type EntryAdmission,
  type OrderPricingRow,
} from './entry-pricing.queries';
import {
  selectGateResults,
  selectReviewVotes,
  type GateResultRow,
  type ReviewVoteRow,
} from './proposal-views.queries';
import { selectProposal, type ProposalRow } from './proposals.queries';

export interface ProposalDetail {
  readonly proposal: ProposalRow;
  readonly gateResults: readonly GateResultRow[];
  readonly admissions: readonly (EntryAdmission & { readonly stepSeq: number })[];
  readonly orders: readonly OrderPricingRow[];
  readonly votes: readonly ReviewVoteRow[];
}

/** The proposal with everything decided about it, or undefined when there is no such proposal. */
export async function readProposalDetail(db: Queryable, id: string): Promise<ProposalDetail | undefined> {
  const proposal = await selectProposal(db, id);
  if (!proposal) return undefined;
  const [gateResults, admissions, orders, votes] = await Promise.all([
    selectGateResults(db, id),
    selectProposalAdmissions(db, id),
    selectProposalOrderPricing(db, id),
    selectReviewVotes(db, id),
  ]);
  return { proposal, gateResults, admissions, orders, votes };
}
