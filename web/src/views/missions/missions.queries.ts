import { MissionDetail, MissionPage } from '@atc/contracts';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';

/** The latest 200 missions (the board), refreshed by the stream's mission and step events. */
function useMissions() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: [...queryKeys.missions, 'board'],
    queryFn: ({ signal }) => api.get('/api/missions?limit=200', MissionPage, signal),
    refetchInterval,
  });
}

/** One mission's steps, read while its card is open. */
function useMissionSteps(id: string, enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.mission(id),
    queryFn: ({ signal }) => api.get(`/api/missions/${encodeURIComponent(id)}`, MissionDetail, signal),
    enabled,
  });
}

export { useMissions, useMissionSteps };
