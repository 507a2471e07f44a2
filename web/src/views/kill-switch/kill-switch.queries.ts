import { KillSwitchChange, KillSwitchStatus, LossLatchReset, type Market } from '@atc/contracts';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';
import { HALT_EVENTS, liveKeys } from '../live/live-keys';
import { useStaleOnEvents } from '../live/stale-on-events';

/** GET /api/kill-switch, refreshed by every halt and loss-latch event. */
function useKillSwitch() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  useStaleOnEvents(HALT_EVENTS, [liveKeys.killSwitch]);
  return useSuspenseQuery({
    queryKey: liveKeys.killSwitch,
    queryFn: ({ signal }) => api.get('/api/kill-switch', KillSwitchStatus, signal),
    refetchInterval,
  });
}

interface HaltChange {
  readonly reason: string;
  /** One market's halt; absent for the whole company. */
  readonly market?: Market;
}

/** The kill switch and the overview read the same halts: both refetch after a change. */
function useHaltMutation<Body, Result>(call: (body: Body) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: liveKeys.killSwitch }),
        queryClient.invalidateQueries({ queryKey: queryKeys.status }),
      ]),
  });
}

/** POST /api/kill-switch/engage (operator and admin). */
function useEngage() {
  const { api } = useSession();
  return useHaltMutation((body: HaltChange) => api.post('/api/kill-switch/engage', body, KillSwitchChange));
}

/** POST /api/kill-switch/release (admin). */
function useRelease() {
  const { api } = useSession();
  return useHaltMutation((body: HaltChange) => api.post('/api/kill-switch/release', body, KillSwitchChange));
}

/** POST /api/loss-latch/reset (admin). */
function useResetLossLatch() {
  const { api } = useSession();
  return useHaltMutation((body: { readonly reason: string }) =>
    api.post('/api/loss-latch/reset', body, LossLatchReset),
  );
}

export { type HaltChange, useEngage, useKillSwitch, useRelease, useResetLossLatch };
