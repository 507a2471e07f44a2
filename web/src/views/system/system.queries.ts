import { ReconciliationPage, ReconciliationResolution, type ReconciliationResolveBody } from '@atc/contracts';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';
import { liveKeys, RECONCILIATION_EVENTS } from '../live/live-keys';
import { useStaleOnEvents } from '../live/stale-on-events';

/** GET /api/reconciliation: up to 200 steps, longest waiting first; live with step and order events. */
function useReconciliation() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  useStaleOnEvents(RECONCILIATION_EVENTS, [liveKeys.reconciliation]);
  return useSuspenseQuery({
    queryKey: liveKeys.reconciliation,
    queryFn: ({ signal }) => api.get('/api/reconciliation?limit=200', ReconciliationPage, signal),
    refetchInterval,
  });
}

/** POST /api/reconciliation/:stepId/resolve (operator and admin). */
function useResolve(stepId: string) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReconciliationResolveBody) =>
      api.post(`/api/reconciliation/${encodeURIComponent(stepId)}/resolve`, body, ReconciliationResolution),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: liveKeys.reconciliation }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]),
  });
}

export { useReconciliation, useResolve };
