import { EquityCurveResponse, PositionPage } from '@atc/contracts';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
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

/** Days the Overview's equity curve spans. */
const EQUITY_DAYS = 30;

/**
 * GET /api/pnl/equity for the last {@link EQUITY_DAYS} days. Keyed under `positions`: the stream's
 * fill and position events make it stale. Not suspending: a failed curve leaves the rest of the
 * Overview standing.
 */
function useEquityCurve() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useQuery({
    queryKey: [...queryKeys.positions, 'equity', EQUITY_DAYS],
    queryFn: ({ signal }) => api.get(`/api/pnl/equity?days=${EQUITY_DAYS}`, EquityCurveResponse, signal),
    refetchInterval,
  });
}

export { EQUITY_DAYS, useEquityCurve, useOpenPositions };
