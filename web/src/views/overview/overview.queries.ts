import { PositionPage } from '@atc/contracts';
import { useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';

/** GET /api/positions (open), with stop-loss and take-profit. */
function useOpenPositions() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: queryKeys.positions,
    queryFn: ({ signal }) => api.get('/api/positions?state=open&limit=200', PositionPage, signal),
    refetchInterval,
  });
}

export { useOpenPositions };
