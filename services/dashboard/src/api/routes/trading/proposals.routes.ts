/**
 * Proposals: list and filter, one with its gate results, priced admissions and votes, submit, and
 * approve or reject bound to the content hash the operator reviewed — through the same domain
 * functions as `atc proposal`.
 * @module
 */
import {
  ApproveProposalBody,
  IdParams,
  ProposalDecisionResponse,
  ProposalDetail,
  ProposalInput,
  ProposalListQuery,
  ProposalPage,
  RejectProposalBody,
  type TradePayload,
} from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import {
  approveProposal,
  pageProposals,
  readProposalDetail,
  rejectProposal,
  selectProposal,
  submitProposal,
  tradesOfProposal,
  type PriceQuote,
} from '@atc/trading';
import { created, defineRoute, ok, type ApiContext } from '../../api-route';
import { queryKey } from '../../cache/proposal-pages';
import { actorOf, pageRequestOf, toWire, wirePage } from './route-wire';

/**
 * Venue quotes for the entries, as the CLI takes them before a decision; without the capability the
 * gates price from the latest marks.
 */
async function quotesFor(
  context: ApiContext,
  trades: readonly TradePayload[],
): Promise<PriceQuote[] | undefined> {
  const quote = context.services.quoteEntries;
  if (!quote || trades.length === 0) return undefined;
  // The capability is typed `unknown` so the route contract names no trading type; the atc binary
  // injects @atc/trading's own `quoteEntries`, which answers PriceQuote[].
  return [...((await quote(trades)) as readonly PriceQuote[])];
}

/**
 * Runs a proposal write, then drops this process's shared proposal pages whatever its outcome (a
 * refused approval may still have recorded an expiry), so the writer's next list shows its write
 * without waiting for the live stream.
 */
async function afterWhichProposalsChanged<T>(context: ApiContext, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } finally {
    context.services.proposalPages?.invalidate();
  }
}

export const listProposalsRoute = defineRoute({
  method: 'GET',
  path: '/api/proposals',
  access: 'read',
  summary: 'Proposals, newest first, filtered by status, market, agent and creation time',
  tag: 'proposals',
  query: ProposalListQuery,
  response: ProposalPage,
  async handle({ query }, context) {
    const load = async () => {
      const page = await pageProposals(
        context.pool,
        {
          status: query.status,
          market: query.market,
          agent: query.agent,
          from: query.from === undefined ? undefined : new Date(query.from),
          to: query.to === undefined ? undefined : new Date(query.to),
        },
        pageRequestOf(query),
      );
      return toWire(ProposalPage, wirePage(page));
    };
    const pages = context.services.proposalPages;
    return ok(pages ? await pages.read(queryKey(query), load) : await load());
  },
});

export const getProposalRoute = defineRoute({
  method: 'GET',
  path: '/api/proposals/:id',
  access: 'read',
  summary: 'One proposal with its content, gate results, priced admissions, order pricing and votes',
  tag: 'proposals',
  params: IdParams,
  response: ProposalDetail,
  async handle({ params }, context) {
    const detail = await readProposalDetail(context.pool, params.id);
    if (!detail) throw new NotFoundError(`proposal ${params.id} does not exist`);
    const { proposal, ...rest } = detail;
    return ok(toWire(ProposalDetail, { ...proposal, ...rest }));
  },
});

export const submitProposalRoute = defineRoute({
  method: 'POST',
  path: '/api/proposals',
  access: 'proposals.submit',
  summary:
    'Submit a proposal: the risk gates decide it now (a replayed sourceTraceId answers the first decision)',
  tag: 'proposals',
  body: ProposalInput,
  response: ProposalDecisionResponse,
  successStatus: 201,
  writes: true,
  async handle({ body }, context) {
    const quotes = await quotesFor(context, tradesOfProposal(body));
    const decision = await afterWhichProposalsChanged(context, () =>
      submitProposal(context.pool, body, {
        asOf: context.clock.now(),
        logger: context.logger,
        submittedBy: actorOf(context),
        ...(quotes ? { quotes } : {}),
      }),
    );
    const wire = toWire(ProposalDecisionResponse, decision);
    return decision.replayed ? ok(wire) : created(wire);
  },
});

export const approveProposalRoute = defineRoute({
  method: 'POST',
  path: '/api/proposals/:id/approve',
  access: 'proposals.decide',
  summary: 'Approve an awaiting proposal: the gates run again; a stale contentHash is refused (409)',
  tag: 'proposals',
  params: IdParams,
  body: ApproveProposalBody,
  response: ProposalDecisionResponse,
  writes: true,
  async handle({ params, body }, context) {
    const approver = actorOf(context);
    const row = await selectProposal(context.pool, params.id);
    if (!row) throw new NotFoundError(`proposal ${params.id} does not exist`);
    const quotes = await quotesFor(context, tradesOfProposal(row.content));
    const decision = await afterWhichProposalsChanged(context, () =>
      approveProposal(
        context.pool,
        { proposalId: params.id, approver, contentHash: body.contentHash },
        { asOf: context.clock.now(), logger: context.logger, ...(quotes ? { quotes } : {}) },
      ),
    );
    return ok(toWire(ProposalDecisionResponse, decision));
  },
});

export const rejectProposalRoute = defineRoute({
  method: 'POST',
  path: '/api/proposals/:id/reject',
  access: 'proposals.decide',
  summary: 'Reject an awaiting proposal with a reason; a stale contentHash is refused (409)',
  tag: 'proposals',
  params: IdParams,
  body: RejectProposalBody,
  response: ProposalDecisionResponse,
  writes: true,
  async handle({ params, body }, context) {
    const decision = await afterWhichProposalsChanged(context, () =>
      rejectProposal(context.pool, {
        proposalId: params.id,
        approver: actorOf(context),
        contentHash: body.contentHash,
        reason: body.reason,
      }),
    );
    return ok(toWire(ProposalDecisionResponse, decision));
  },
});

export const proposalRoutes = [
  listProposalsRoute,
  getProposalRoute,
  submitProposalRoute,
  approveProposalRoute,
  rejectProposalRoute,
] as const;
