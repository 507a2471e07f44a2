import {
  HeartbeatRunPage,
  ReconciliationPage,
  ReconciliationResolution,
  type ReconciliationResolveBody,
} from '@atc/contracts';
import {
  useMutation,
  useQueryClient,
  useSuspenseInfiniteQuery,
  useSuspenseQuery,
} from '@tanstack/react-query';
import { queryString } from '../../api/api.client';
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

/** Runs a page of the heartbeat history shows. */
const HEARTBEAT_RUNS_PAGE = 20;

/**
 * GET /api/heartbeat/runs, newest first, older pages on demand. No event names a heartbeat run: the
 * view refreshes it when the status' last run changes (see HeartbeatHistory).
 */
function useHeartbeatRuns() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseInfiniteQuery({
    queryKey: liveKeys.heartbeatRuns,
    queryFn: ({ signal, pageParam }) =>
      api.get(
        `/api/heartbeat/runs${queryString({ limit: HEARTBEAT_RUNS_PAGE, cursor: pageParam ?? undefined })}`,
        HeartbeatRunPage,
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval,
  });
}

export { HEARTBEAT_RUNS_PAGE, useHeartbeatRuns, useReconciliation, useResolve };
