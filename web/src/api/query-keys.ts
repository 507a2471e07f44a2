/** The react-query keys of the API's reads; the stream's events invalidate them by prefix. */
const queryKeys = {
  status: ['status'] as const,
  positions: ['positions'] as const,
  proposals: ['proposals'] as const,
  proposal: (id: string) => ['proposals', 'detail', id] as const,
  events: ['events'] as const,
  missions: ['missions'] as const,
  mission: (id: string) => ['missions', 'detail', id] as const,
  orders: ['orders'] as const,
  orderExplanation: (clientOrderId: string) => ['orders', 'explain', clientOrderId] as const,
};

export { queryKeys };
