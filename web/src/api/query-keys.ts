/** The react-query keys of the API's reads; the stream's events invalidate them by prefix. */
const queryKeys = {
  status: ['status'] as const,
  positions: ['positions'] as const,
  proposals: ['proposals'] as const,
  proposal: (id: string) => ['proposals', 'detail', id] as const,
  events: ['events'] as const,
};

export { queryKeys };
