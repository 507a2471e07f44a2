/**
 * The six agents (their policy's role and voice, figures from the database), their memories, the 15
 * relationship pairs and the roundtable's conversations.
 * @module
 */
import {
  AgentDefinition,
  AgentList,
  AgentParams,
  Conversation,
  ConversationPage,
  ConversationParams,
  ConversationQuery,
  MemoryPage,
  MemoryQuery,
  RelationshipList,
  type AgentSummary,
} from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import {
  getPolicy,
  selectAgentFigures,
  selectConversation,
  selectConversationsPage,
  selectMemoriesPage,
  selectRelationships,
  type ConversationRow,
  type DriftEntry,
} from '@atc/trading';
import { z } from 'zod';
import { defineRoute, ok, type ApiRoute } from '../../api-route';
import { decodeCursor, nextCursorOf, TimeKeyCursor } from '../page-cursor';

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

const listAgents = defineRoute({
  method: 'GET',
  path: '/api/agents',
  access: 'read',
  tag: 'agents',
  summary: 'The six agents: role, voice and figures (memories, proposals, conversations, affinity).',
  response: AgentList,
  async handle(_input, { pool }) {
    const [policy, figures] = await Promise.all([getPolicy(pool, 'agents'), selectAgentFigures(pool)]);
    // Stored policies were validated when set; parsing again keeps a corrupt row from leaking through.
    const definitions = z.record(z.string(), AgentDefinition).parse(policy.value);
    const items = figures.flatMap((row): AgentSummary[] => {
      const definition = definitions[row.agent];
      if (!definition) return [];
      return [
        {
          agent: row.agent,
          role: definition.role,
          directive: definition.directive,
          voice: definition.tone,
          color: definition.color,
          preferredPartners: definition.preferredPartners,
          figures: {
            memories: row.memories,
            promotedMemories: row.promotedMemories,
            proposals: row.proposals,
            approvedProposals: row.approvedProposals,
            conversations: row.conversations,
            averageAffinity: row.averageAffinity,
            lastProposalAt: iso(row.lastProposalAt),
          },
        },
      ];
    });
    return ok({ items });
  },
});

const listMemories = defineRoute({
  method: 'GET',
  path: '/api/agents/:agent/memories',
  access: 'read',
  tag: 'agents',
  summary: "An agent's memories, newest first, optionally of one type.",
  params: AgentParams,
  query: MemoryQuery,
  response: MemoryPage,
  async handle({ params, query }, { pool }) {
    const page = await selectMemoriesPage(pool, {
      agent: params.agent,
      ...(query.type ? { type: query.type } : {}),
      limit: query.limit,
      after: decodeCursor(query.cursor, TimeKeyCursor),
    });
    return ok({
      items: page.rows.map(({ sortKey: _sortKey, createdAt, ...row }) => ({
        ...row,
        createdAt: createdAt.toISOString(),
      })),
      nextCursor: nextCursorOf(page.next),
    });
  },
});

const driftOf = (entry: DriftEntry) => ({ ...entry, at: new Date(entry.at).toISOString() });

const listRelationships = defineRoute({
  method: 'GET',
  path: '/api/relationships',
  access: 'read',
  tag: 'agents',
  summary: 'The 15 agent pairs: affinity, interactions and their recent drift.',
  response: RelationshipList,
  async handle(_input, { pool }) {
    const rows = await selectRelationships(pool);
    return ok({
      items: rows.map((row) => ({
        ...row,
        drift: row.drift.map(driftOf),
        lastInteractionAt: iso(row.lastInteractionAt),
      })),
    });
  },
});

function conversationSummary(row: ConversationRow) {
  return {
    id: row.id,
    format: row.format,
    topic: row.topic,
    participants: row.participants,
    status: row.status,
    proposalId: row.proposalId,
    scheduledFor: row.scheduledFor.toISOString(),
    finishedAt: iso(row.finishedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

const listConversations = defineRoute({
  method: 'GET',
  path: '/api/conversations',
  access: 'read',
  tag: 'agents',
  summary: 'Roundtable conversations, newest first (without transcripts).',
  query: ConversationQuery,
  response: ConversationPage,
  async handle({ query }, { pool }) {
    const page = await selectConversationsPage(pool, {
      ...(query.format ? { format: query.format } : {}),
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit,
      after: decodeCursor(query.cursor, TimeKeyCursor),
    });
    return ok({ items: page.rows.map(conversationSummary), nextCursor: nextCursorOf(page.next) });
  },
});

const getConversation = defineRoute({
  method: 'GET',
  path: '/api/conversations/:id',
  access: 'read',
  tag: 'agents',
  summary: 'One roundtable conversation with its transcript and outcome.',
  params: ConversationParams,
  response: Conversation,
  async handle({ params }, { pool }) {
    const row = await selectConversation(pool, params.id);
    if (!row) throw new NotFoundError(`conversation ${params.id} does not exist`);
    return ok(
      Conversation.parse({
        ...conversationSummary(row),
        stepId: row.stepId,
        transcript: row.transcript,
        outcome: row.outcome,
        lastError: row.lastError,
        startedAt: iso(row.startedAt),
      }),
    );
  },
});

export const agentRoutes: readonly ApiRoute[] = [
  listAgents,
  listMemories,
  listRelationships,
  listConversations,
  getConversation,
];
