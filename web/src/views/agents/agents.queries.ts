import { AgentList, Conversation, ConversationPage, MemoryPage, RelationshipList } from '@atc/contracts';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { useSession } from '../../session/session.context';
import { useFallbackPolling } from '../../stream/stream.context';
import { CONVERSATION_EVENTS, liveKeys, MEMORY_EVENTS } from '../live/live-keys';
import { useStaleOnEvents } from '../live/stale-on-events';

/** GET /api/agents: role, voice and figures; figures move with memories and conversations. */
function useAgents() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  useStaleOnEvents([...MEMORY_EVENTS, ...CONVERSATION_EVENTS, 'proposal_decided'], [liveKeys.agents]);
  return useSuspenseQuery({
    queryKey: liveKeys.agents,
    queryFn: ({ signal }) => api.get('/api/agents', AgentList, signal),
    refetchInterval,
  });
}

/** GET /api/relationships: affinities drift when a conversation ends. */
function useRelationships() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  useStaleOnEvents(CONVERSATION_EVENTS, [liveKeys.relationships]);
  return useSuspenseQuery({
    queryKey: liveKeys.relationships,
    queryFn: ({ signal }) => api.get('/api/relationships', RelationshipList, signal),
    refetchInterval,
  });
}

/** GET /api/agents/:agent/memories (newest 50), read for the agent chosen. */
function useMemories(agent: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: liveKeys.memories(agent),
    queryFn: ({ signal }) => api.get(`/api/agents/${encodeURIComponent(agent)}/memories`, MemoryPage, signal),
  });
}

/** GET /api/conversations (newest 50, without transcripts). */
function useConversations() {
  const { api } = useSession();
  const refetchInterval = useFallbackPolling();
  useStaleOnEvents(CONVERSATION_EVENTS, [liveKeys.conversations]);
  return useSuspenseQuery({
    queryKey: liveKeys.conversations,
    queryFn: ({ signal }) => api.get('/api/conversations', ConversationPage, signal),
    refetchInterval,
  });
}

/** GET /api/conversations/:id with its transcript, read when one is opened. */
function useConversation(id: string) {
  const { api } = useSession();
  return useQuery({
    queryKey: liveKeys.conversation(id),
    queryFn: ({ signal }) => api.get(`/api/conversations/${encodeURIComponent(id)}`, Conversation, signal),
  });
}

export { useAgents, useConversation, useConversations, useMemories, useRelationships };
