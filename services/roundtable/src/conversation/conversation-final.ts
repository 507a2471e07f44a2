/**
 * The end of a conversation, in one transaction: the votes, the convener's decision (sage's veto
 * kept), the distilled memories, the relationship drift and the action items as proposals. The
 * conversation row is locked and must still be `running`, so a retried or racing final part writes
 * nothing twice; unique keys (votes, memories, proposals) back that up.
 * @module
 */
import {
  conversationFormatSpecs,
  RelationshipDriftPolicy,
  type Agent,
  type ConversationFormat,
} from '@atc/contracts';
import { withTransaction, type PoolClient } from '@atc/platform';
import { appendEvent, getPolicy, submitProposalIn } from '@atc/trading';
import { insertMemory } from '../agent-work.queries';
import { MemoryDraft, Vote, type ConversationLine } from '../voices/agent-voice';
import type { RoomFigures } from '../roundtable-voices';
import {
  actionItemsOf,
  bandMemories,
  decide,
  type ActionItem,
  type AgentVote,
  type BandedMemory,
  type Consensus,
} from './conversation-outcome';
import {
  finishConversation,
  insertVotes,
  lockAffinities,
  lockConversation,
  updateRelationships,
  type RelationshipUpdate,
  type StoredConversation,
  type StoredTurn,
} from './conversation.queries';
import type { ConversationDeps } from './conversation-deps';
import { nextAffinity, pairDrifts } from './relationship-drift';
import { pairKey } from './speaker-choice';

export interface SettleInput {
  readonly conversation: StoredConversation;
  readonly turns: readonly StoredTurn[];
  readonly room: RoomFigures;
  readonly stepId: string;
}

interface Gathered {
  readonly votes: AgentVote[];
  readonly memories: BandedMemory[];
  readonly actionItems: ActionItem[];
  readonly transcript: ConversationLine[];
}

/** The voice's votes and memories (outside the transaction: an LLM may take seconds), checked by schema. */
async function gather(deps: ConversationDeps, input: SettleInput): Promise<Gathered> {
  const c = input.conversation;
  const transcript = input.turns.map(({ turn, agent, text }) => ({ turn, agent, text }));
  const common = { conversationId: c.id, format: c.format, topic: c.topic, transcript };
  const votes: AgentVote[] = [];
  for (const agent of c.plan.participants) {
    const cast = await deps.voice.vote({ ...common, agent, room: input.room });
    votes.push({
      ...cast,
      ...Vote.parse({ vote: cast.vote, confidence: cast.confidence, reason: cast.reason }),
      agent,
    });
  }
  const distilled = await deps.voice.distill({
    ...common,
    convener: c.plan.convener,
    participants: c.plan.participants,
  });
  const drafts = MemoryDraft.array().parse(distilled.memories);
  const formal = conversationFormatSpecs[c.format].formal;
  return {
    votes,
    memories: bandMemories(drafts),
    actionItems: formal ? actionItemsOf(transcript) : [],
    transcript,
  };
}

async function storeVotes(client: PoolClient, c: StoredConversation, votes: readonly AgentVote[], at: Date) {
  const stored = votes.map((v) => ({
    agent: v.agent,
    vote: v.vote,
    confidence: v.confidence.toFixed(2),
    reason: v.reason,
    voice: v.voice,
    promptVersion: v.promptVersion,
    usage: v.usage ?? null,
  }));
  const inserted = new Set(await insertVotes(client, c.id, stored, at));
  for (const v of stored.filter((s) => inserted.has(s.agent)))
    await appendEvent(client, {
      type: 'conversation_vote',
      aggregateType: 'conversation',
      aggregateId: c.id,
      agent: v.agent,
      tags: ['roundtable', c.format, v.vote],
      payload: {
        conversationId: c.id,
        agent: v.agent,
        vote: v.vote,
        confidence: v.confidence,
        reason: v.reason,
      },
    });
  return stored;
}

/** Each memory keyed `conversation:<id>:<n>` per agent (memories_agent_source_trace_id_idx): written once. */
async function storeMemories(client: PoolClient, c: StoredConversation, memories: readonly BandedMemory[]) {
  const stored: { id: string; agent: Agent; type: string; confidence: string }[] = [];
  for (const [index, m] of memories.entries()) {
    const sourceTraceId = `conversation:${c.id}:${index}`;
    const confidence = m.confidence.toFixed(2);
    const id = await insertMemory(client, {
      agent: m.agent,
      type: m.type,
      content: m.content,
      confidence,
      tags: m.tags,
      sourceTraceId,
      metadata: { conversationId: c.id, format: c.format },
    });
    if (!id) continue;
    stored.push({ id, agent: m.agent, type: m.type, confidence });
    await appendEvent(client, {
      type: 'memory_created',
      aggregateType: 'memory',
      aggregateId: id,
      agent: m.agent,
      tags: m.tags,
      payload: { memoryId: id, agent: m.agent, type: m.type, sourceTraceId },
    });
  }
  return stored;
}

/** Drifts every participant pair (rows locked), ±maxDrift, within [min, max], interactions counted. */
async function driftRelationships(
  client: PoolClient,
  c: StoredConversation,
  transcript: ConversationLine[],
  at: Date,
) {
  const policy = RelationshipDriftPolicy.parse((await getPolicy(client, 'relationship_drift')).value);
  if (!policy.enabled) return [];
  const current = await lockAffinities(client, c.plan.participants);
  const updates: RelationshipUpdate[] = [];
  for (const d of pairDrifts(c.plan.participants, transcript, policy.maxDriftPerConversation)) {
    const from = current[pairKey(d.agentA, d.agentB)];
    if (from === undefined) continue;
    const to = nextAffinity(from, d.drift, policy.minAffinity, policy.maxAffinity);
    const delta = Math.round((to - from) * 100) / 100;
    if (delta === 0 && d.interactions === 0) continue;
    updates.push({
      agentA: d.agentA,
      agentB: d.agentB,
      from: from.toFixed(2),
      to: to.toFixed(2),
      delta: delta.toFixed(2),
      interactions: d.interactions,
      reason: d.reason,
    });
  }
  await updateRelationships(client, { updates, conversationId: c.id, at });
  return updates;
}

/** Each action item as an `analyze` proposal by its speaker, idempotent on (conversation, item). */
async function proposeActionItems(
  client: PoolClient,
  deps: ConversationDeps,
  c: StoredConversation,
  items: ActionItem[],
  at: Date,
) {
  const proposed = [];
  for (const item of items) {
    const decision = await submitProposalIn(
      client,
      {
        source: 'roundtable',
        sourceTraceId: `conversation:${c.id}:action:${item.index}`,
        agent: item.agent,
        title: `Action item (${c.format}): ${item.text}`.slice(0, 200),
        rationale: `Said by ${item.agent} at turn ${item.turn} of conversation ${c.id} on "${c.topic}".`,
        confidence: 0.6,
        steps: [
          { kind: 'analyze', topic: item.text, details: { conversationId: c.id, actionItem: item.index } },
        ],
      },
      { asOf: at, logger: deps.logger },
    );
    proposed.push({ ...item, proposalId: decision.proposalId, status: decision.status });
    if (decision.replayed) continue;
    await appendEvent(client, {
      type: 'action_item_proposed',
      aggregateType: 'conversation',
      aggregateId: c.id,
      agent: item.agent,
      tags: ['roundtable', c.format],
      payload: {
        conversationId: c.id,
        index: item.index,
        agent: item.agent,
        item: item.text,
        proposalId: decision.proposalId,
        status: decision.status,
      },
    });
  }
  return proposed;
}

function summaryOf(
  format: ConversationFormat,
  topic: string,
  consensus: Consensus,
  votes: readonly AgentVote[],
) {
  const count = (choice: string) => votes.filter((v) => v.vote === choice).length;
  return `${format} on "${topic}": ${consensus} (${count('support')} for, ${count('oppose')} against, ${count('abstain')} abstained)`;
}

/** Settles the conversation once and returns the step's result. */
export async function settleConversation(
  deps: ConversationDeps,
  input: SettleInput,
): Promise<Record<string, unknown>> {
  const gathered = await gather(deps, input);
  const settled = await withTransaction(deps.pool, async (client) => {
    const c = await lockConversation(client, input.conversation.id);
    if (c.status === 'succeeded')
      return { result: (c.outcome?.result ?? {}) as Record<string, unknown>, consensus: null };
    const at = deps.clock.now();
    const votes = await storeVotes(client, c, gathered.votes, at);
    const consensus = decide(gathered.votes, c.plan.convener);
    const supporters = gathered.votes.filter((v) => v.vote === 'support').map((v) => v.agent);
    const dissenters = gathered.votes.filter((v) => v.vote === 'oppose').map((v) => v.agent);
    const summary = summaryOf(c.format, c.topic, consensus, gathered.votes);
    const memories = await storeMemories(client, c, gathered.memories);
    const drift = await driftRelationships(client, c, gathered.transcript, at);
    const actionItems = await proposeActionItems(client, deps, c, gathered.actionItems, at);
    const result = {
      conversationId: c.id,
      format: c.format,
      participants: c.plan.participants,
      turns: input.turns.length,
      consensus,
      summary,
      actionItems: actionItems.map(({ index, text, proposalId, status }) => ({
        index,
        text,
        proposalId,
        status,
      })),
    };
    const outcome = {
      consensus,
      convener: c.plan.convener,
      supporters,
      dissenters,
      summary,
      votes,
      memories,
      drift,
      actionItems,
      result,
    };
    const transcript = input.turns.map((t) => ({
      turn: t.turn,
      agent: t.agent,
      stance: t.stance,
      line: t.text,
      voice: t.voice,
      promptVersion: t.promptVersion,
    }));
    await finishConversation(client, { id: c.id, transcript, outcome, at });
    await appendEvent(client, {
      type: 'conversation_finished',
      aggregateType: 'conversation',
      aggregateId: c.id,
      agent: c.plan.convener,
      tags: ['roundtable', c.format, consensus],
      payload: {
        conversationId: c.id,
        stepId: input.stepId,
        format: c.format,
        participants: [...c.plan.participants],
        consensus,
        summary,
        turns: input.turns.length,
      },
    });
    return { result, consensus };
  });
  if (settled.consensus)
    deps.metrics?.finished.inc({ format: input.conversation.format, consensus: settled.consensus });
  return settled.result;
}
