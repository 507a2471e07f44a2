import { tradeSymbol, type Market, type ProposalDecision } from '@atc/contracts';
import {
  type PriceQuote,
  quoteEntries,
  tradesOfProposal,
  approveProposalIn,
  rejectProposalIn,
  appendEvent,
  readPolicySnapshot,
  selectOpenExposure,
} from '@atc/trading';
import type { PoolClient } from '@atc/platform';
import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import { inPhaseTransaction, mapBounded } from './phase-transaction';
import { reviewTrade, type ReviewState } from './trade-review-votes';
import {
  insertTradeReview,
  lockAwaitingTrade,
  selectAwaitingTrades,
  selectRecentOutcomes,
  setReviewOutcome,
  type AwaitingTrade,
} from './trade-reviews.queries';

export interface ReviewSettings {
  /** Proposals reviewed per run. */
  readonly maxReviews: number;
}

const tradesOf = tradesOfProposal;

/** Current prices of every instrument under review; one that cannot be quoted makes scout abstain. */
async function quotesFor(
  context: PhaseContext,
  proposals: readonly AwaitingTrade[],
): Promise<Map<string, string>> {
  const keys = [
    ...new Set(proposals.flatMap((p) => tradesOf(p.content).map((t) => `${t.market}:${tradeSymbol(t)}`))),
  ];
  const quotes = new Map<string, string>();
  await mapBounded(context, keys, 4, async (key) => {
    const [market, instrument] = [key.slice(0, key.indexOf(':')) as Market, key.slice(key.indexOf(':') + 1)];
    try {
      quotes.set(key, (await context.marketData.quote(market, instrument)).last);
    } catch (error) {
      context.logger.warn(
        { err: error, market, instrument },
        'quote for a trade review failed; scout abstains',
      );
    }
  });
  return quotes;
}

/** One review: the votes, the conversation and its events, then the decision by the operator's own function. */
async function reviewOne(
  client: PoolClient,
  context: PhaseContext,
  proposal: AwaitingTrade,
  base: Omit<ReviewState, 'open' | 'policies'>,
  entryQuotes: readonly PriceQuote[],
): Promise<ProposalDecision | undefined> {
  const locked = await lockAwaitingTrade(client, proposal.id);
  if (!locked) return undefined;
  const policies = await readPolicySnapshot(client);
  const state: ReviewState = {
    ...base,
    policies,
    open: await selectOpenExposure(client, policies.pricing, context.now),
  };
  const review = reviewTrade(locked.content, state);
  const conversationId = await insertTradeReview(client, {
    proposalId: locked.id,
    topic: locked.content.title,
    transcript: review.votes.map((v) => ({ speaker: v.agent, vote: v.vote, text: v.reason })),
    outcome: { decision: review.decision, reason: review.reason },
    at: context.now,
  });
  for (const vote of review.votes) {
    await appendEvent(client, {
      type: 'trade_review_vote',
      aggregateType: 'conversation',
      aggregateId: conversationId,
      agent: vote.agent,
      tags: ['trade_review', vote.vote],
      payload: {
        conversationId,
        proposalId: locked.id,
        agent: vote.agent,
        vote: vote.vote,
        reason: vote.reason,
      },
    });
  }
  const request = {
    proposalId: locked.id,
    approver: `trade_review:${conversationId}`,
    contentHash: locked.contentHash,
  };
  const decision =
    review.decision === 'approve'
      ? await approveProposalIn(client, request, {
          asOf: context.now,
          quotes: entryQuotes,
          logger: context.logger,
        })
      : await rejectProposalIn(client, { ...request, reason: review.reason.slice(0, 1000) });
  await setReviewOutcome(client, conversationId, {
    decision: review.decision,
    reason: review.reason,
    status: decision.status,
    reasonCode: decision.reasonCode,
  });
  await appendEvent(client, {
    type: 'trade_review_decided',
    aggregateType: 'conversation',
    aggregateId: conversationId,
    agent: 'atlas',
    tags: ['trade_review', review.decision],
    payload: { conversationId, proposalId: locked.id, decision: review.decision, status: decision.status },
  });
  return decision;
}

export function tradeReviewsPhase(settings: ReviewSettings): HeartbeatPhase {
  return {
    name: 'trade_reviews',
    async run(context): Promise<PhaseResult> {
      const proposals = await selectAwaitingTrades(context.pool, settings.maxReviews);
      if (proposals.length === 0) return { summary: { reviewed: 0, approved: 0, rejected: 0 } };
      const markets = [...new Set(proposals.flatMap((p) => tradesOf(p.content).map((t) => t.market)))];
      const base = {
        quotes: await quotesFor(context, proposals),
        recentOutcomes: await selectRecentOutcomes(context.pool, markets, 20),
      };
      // An approval re-runs the gates, which price each entry again from these (or a fresh mark).
      const entryQuotes = await quoteEntries(
        context,
        proposals.flatMap((p) => tradesOf(p.content)),
      );
      const tally = { reviewed: 0, approved: 0, rejected: 0 };
      for (const proposal of proposals) {
        const decision = await inPhaseTransaction(context, (client) =>
          reviewOne(client, context, proposal, base, entryQuotes),
        );
        if (!decision) continue;
        tally.reviewed += 1;
        if (decision.status === 'approved') tally.approved += 1;
        else tally.rejected += 1;
      }
      return { summary: tally };
    },
  };
}
