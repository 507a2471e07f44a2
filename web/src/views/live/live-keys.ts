/**
 * The react-query keys of the agents, system and kill-switch views, and the stream event types
 * that make each stale (see {@link useStaleOnEvents}). GET /api/status is W1's `queryKeys.status`,
 * which the app's stream fold already refreshes.
 * @module
 */
const liveKeys = {
  agents: ['agents'] as const,
  memories: (agent: string) => ['agents', 'memories', agent] as const,
  relationships: ['relationships'] as const,
  conversations: ['conversations'] as const,
  conversation: (id: string) => ['conversations', 'detail', id] as const,
  reconciliation: ['reconciliation'] as const,
  heartbeatRuns: ['heartbeat-runs'] as const,
  killSwitch: ['kill-switch'] as const,
};

/** A roundtable's turns and results: the conversation list and transcript, affinities, agent figures. */
const CONVERSATION_EVENTS = [
  'conversation_started',
  'conversation_turn',
  'conversation_vote',
  'conversation_finished',
  'trade_review_vote',
  'trade_review_decided',
] as const;
/** What an agent remembers. */
const MEMORY_EVENTS = ['memory_created', 'memory_promoted'] as const;
/** A step entering or leaving needs_reconciliation, and its order changing. */
const RECONCILIATION_EVENTS = ['steps_status_changed', 'order_status_changed'] as const;
/** The kill switch, a market halt, the loss latch. */
const HALT_EVENTS = ['halt_changed', 'loss_latch_changed'] as const;

export { CONVERSATION_EVENTS, HALT_EVENTS, liveKeys, MEMORY_EVENTS, RECONCILIATION_EVENTS };
