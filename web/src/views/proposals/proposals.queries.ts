import { ProposalDecisionResponse, ProposalDetail, ProposalPage } from '@atc/contracts';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';

type ProposalItem = ReturnType<typeof ProposalPage.parse>['items'][number];

/** Those awaiting approval (all of them, up to a page of 200) and the latest 50 of any status. */
function useProposalLists() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  const awaiting = useSuspenseQuery({
    queryKey: [...queryKeys.proposals, 'awaiting'],
    queryFn: ({ signal }) =>
      api.get('/api/proposals?status=awaiting_approval&limit=200', ProposalPage, signal),
    refetchInterval,
  });
  const recent = useSuspenseQuery({
    queryKey: [...queryKeys.proposals, 'recent'],
    queryFn: ({ signal }) => api.get('/api/proposals?limit=50', ProposalPage, signal),
    refetchInterval,
  });
  return { awaiting: awaiting.data.items, recent: recent.data.items };
}

/** One proposal's gate results and votes, read when its details are open. */
function useProposalDetail(id: string, enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.proposal(id),
    queryFn: ({ signal }) => api.get(`/api/proposals/${encodeURIComponent(id)}`, ProposalDetail, signal),
    enabled,
  });
}

type Decision = { readonly action: 'approve' } | { readonly action: 'reject'; readonly reason: string };

/** Approve or reject with the content hash shown to the operator (a stale one is refused, 409). */
function useDecideProposal(proposal: ProposalItem) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: Decision) =>
      api.post(
        `/api/proposals/${encodeURIComponent(proposal.id)}/${decision.action}`,
        decision.action === 'approve'
          ? { contentHash: proposal.contentHash }
          : { contentHash: proposal.contentHash, reason: decision.reason },
        ProposalDecisionResponse,
      ),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.proposals }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]),
  });
}

export { type ProposalItem, useDecideProposal, useProposalDetail, useProposalLists };
