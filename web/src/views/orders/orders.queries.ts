import { OrderExplanation, OrderPage } from '@atc/contracts';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/query-keys';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';

/** The latest 100 orders, refreshed by the stream's order and fill events. */
function useOrders() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  return useSuspenseQuery({
    queryKey: [...queryKeys.orders, 'latest'],
    queryFn: ({ signal }) => api.get('/api/orders?limit=100', OrderPage, signal),
    refetchInterval,
  });
}

/** Why the order exists and what became of it, read while it is selected. */
function useOrderExplanation(clientOrderId: string | null) {
  const { api } = useSession();
  return useQuery({
    queryKey: queryKeys.orderExplanation(clientOrderId ?? ''),
    queryFn: ({ signal }) =>
      api.get(`/api/orders/${encodeURIComponent(clientOrderId ?? '')}/explain`, OrderExplanation, signal),
    enabled: clientOrderId !== null,
  });
}

export { useOrderExplanation, useOrders };
