import { StatusResponse } from '@atc/contracts';
import { useSuspenseQuery } from '@tanstack/react-query';
import { useSession } from '../session/session.context';
import { useFallbackPolling } from '../stream/stream.context';
import { queryKeys } from './query-keys';

/**
 * GET /api/status, one cache entry for every view that shows it (Overview, System); refreshed by the
 * stream's events, polled only while the stream is down.
 */
function useStatus() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: queryKeys.status,
    queryFn: ({ signal }) => api.get('/api/status', StatusResponse, signal),
    refetchInterval,
  });
}

export { useStatus };
