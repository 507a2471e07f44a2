import { DailyPnlResponse, PositionPage, PriceHistoryResponse } from '@atc/contracts';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { queryString } from '../../api/api.client';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';
import type { Position } from './chart-models';

/** How much price before the position opened its chart shows. */
const LEAD_MS = 3_600_000;
/** The widest window GET /api/prices answers (MAX_PRICE_HISTORY_DAYS). */
const MAX_WINDOW_MS = 31 * 86_400_000;

// Keyed under `positions`: the stream's fill and position events invalidate them all.

/** The open positions (up to 200), with marks, unrealised P&L, stop-loss and take-profit. */
function useOpenPositionList() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: [...queryKeys.positions, 'open-list'],
    queryFn: ({ signal }) => api.get('/api/positions?state=open&limit=200', PositionPage, signal),
    refetchInterval,
  });
}

/** The daily realised P&L of the last 30 days. */
function useDailyPnl() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: [...queryKeys.positions, 'pnl-daily'],
    queryFn: ({ signal }) => api.get('/api/pnl/daily', DailyPnlResponse, signal),
    refetchInterval,
  });
}

/** The instrument's price from an hour before the position opened (at most 31 days) to now, with its fills. */
function usePriceHistory(position: Position) {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useQuery({
    queryKey: [...queryKeys.positions, 'prices', position.market, position.symbol, position.openedAt],
    queryFn: ({ signal }) => {
      const now = Date.now();
      const opened = Math.min(Date.parse(position.openedAt), now);
      const from = Math.max(opened - LEAD_MS, now - MAX_WINDOW_MS + 60_000);
      const path = `/api/prices/${position.market}/${encodeURIComponent(position.symbol)}`;
      return api.get(
        path + queryString({ from: new Date(from).toISOString(), to: new Date(now).toISOString() }),
        PriceHistoryResponse,
        signal,
      );
    },
    refetchInterval,
  });
}

export { useDailyPnl, useOpenPositionList, usePriceHistory };
