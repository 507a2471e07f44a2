import Decimal from 'decimal.js';
import type { z } from 'zod';
import { RelationshipDriftPolicy, RoundtablePolicy, type Agent, type RoundtableStep } from '@atc/contracts';
import { PermanentError } from '@atc/platform';
import { getPolicy } from '@atc/trading';
import { marketFigures, operationsFigures, performanceFigures, riskFigures } from './agent-figures';
import { applyAffinityDrift, insertFinishedConversation, type AffinityChange } from './agent-work.queries';
import type { AgentStepInput, AgentStepWork } from './agent-step-work';
import { consensusOf, pairSentiment, speak, type RoomFigures, type Turn } from './roundtable-voices';

export type RoundtablePayload = z.infer<typeof RoundtableStep>;

async function readRoom(input: AgentStepInput<RoundtablePayload>): Promise<RoomFigures> {
  return {
    risk: await riskFigures(input.client, input.now),
    performance: await performanceFigures(input.client, null, input.now),
    market: await marketFigures(input.client, null, input.now),
    operations: await operationsFigures(input.client, input.now),
  };
}

/** The affinity change of every participant pair (agent_a < agent_b, as the table keys them). */
export function affinityChanges(turns: readonly Turn[], maxDrift: string): AffinityChange[] {
  const changes: AffinityChange[] = [];
  for (const [i, first] of turns.entries()) {
    for (const second of turns.slice(i + 1)) {
      const sign = pairSentiment(first.stance, second.stance);
      if (sign === 0 || first.agent === second.agent) continue;
      const [agentA, agentB] = [first.agent, second.agent].sort() as [Agent, Agent];
      changes.push({
        agentA,
        agentB,
        delta: new Decimal(maxDrift).times(sign).toFixed(2),
        reason: sign > 0 ? `agreed (${first.stance})` : 'disagreed',
      });
    }
  }
  return changes;
}

async function driftAffinities(
  input: AgentStepInput<RoundtablePayload>,
  turns: readonly Turn[],
  conversationId: string,
): Promise<{ agentA: Agent; agentB: Agent; affinity: string }[]> {
  const drift = RelationshipDriftPolicy.parse((await getPolicy(input.client, 'relationship_drift')).value);
  if (!drift.enabled) return [];
  return applyAffinityDrift(input.client, {
    changes: affinityChanges(turns, String(drift.maxDriftPerConversation)),
    min: String(drift.minAffinity),
    max: String(drift.maxAffinity),
    conversationId,
    at: input.now,
  });
}

/**
 * `roundtable`: the participants speak in turn from the figures, the room reaches an outcome, pairs
 * that agreed grow closer and pairs that disagreed drift apart, and the convener (the proposing
 * agent) keeps one memory of it.
 */
export async function runRoundtable(input: AgentStepInput<RoundtablePayload>): Promise<AgentStepWork> {
  const { format, participants, topic } = input.payload;
  const policy = RoundtablePolicy.parse((await getPolicy(input.client, 'roundtable')).value);
  if (!policy.enabled || !policy.formats.includes(format))
    throw new PermanentError(`roundtable format "${format}" is not enabled by policy`);
  const unique = [...new Set(participants)];
  const turns = speak(unique, await readRoom(input), topic);
  const { consensus, supporters, dissenters } = consensusOf(turns);
  const summary = `${format} on "${topic}": ${consensus} (${supporters.length} for, ${dissenters.length} cautious)`;
  const outcome = { consensus, supporters, dissenters, summary };
  const transcript = turns.map((t, index) => ({
    turn: index + 1,
    agent: t.agent,
    stance: t.stance,
    line: t.line,
  }));
  const conversationId = await insertFinishedConversation(input.client, {
    format,
    topic,
    participants: unique,
    proposalId: input.proposalId,
    stepId: input.stepId,
    transcript,
    outcome,
    at: input.now,
  });
  const affinities = await driftAffinities(input, turns, conversationId);
  const agreement = new Decimal(Math.max(supporters.length, dissenters.length)).dividedBy(turns.length);
  return {
    memory: {
      agent: input.proposer,
      type: consensus === 'hold' ? 'lesson' : 'strategy',
      content: `${summary}. ${turns.map((t) => `${t.agent}: ${t.line}`).join(' ')}`,
      confidence: new Decimal(0.5).plus(agreement.times(0.4)).toFixed(2),
      tags: ['roundtable', format, consensus],
      metadata: { stepId: input.stepId, proposalId: input.proposalId, conversationId },
    },
    result: { conversationId, format, participants: unique, outcome, affinities },
    events: [
      {
        type: 'conversation_finished',
        aggregateType: 'conversation',
        aggregateId: conversationId,
        agent: input.proposer,
        tags: ['roundtable', format, consensus],
        payload: { conversationId, stepId: input.stepId, format, participants: unique, consensus, summary },
      },
    ],
  };
}
