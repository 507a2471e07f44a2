/**
 * A `roundtable` step as a conversation of N turns. It starts (or finds) the step's conversation
 * with its plan, speaks the turns not yet stored — each turn in its own transaction with its
 * `conversation_turn` event — and then settles the outcome in one final transaction
 * (conversation-final.ts). A worker that dies mid-conversation leaves the stored turns; the next
 * attempt continues at the next turn of the same conversation.
 * @module
 */
import type { z } from 'zod';
import {
  conversationFormatSpecs,
  policySchemas,
  RoundtablePolicy,
  type Agent,
  type RoundtableStep,
} from '@atc/contracts';
import { PermanentError, withTransaction } from '@atc/platform';
import { appendEvent, getPolicy } from '@atc/trading';
import type { ConversationLine } from '../voices/agent-voice';
import type { RoomFigures } from '../roundtable-voices';
import {
  insertRunningConversation,
  insertTurn,
  selectAffinities,
  selectSpeakerMemories,
  selectStepConversation,
  selectTurns,
  type ConversationPlan,
  type StoredConversation,
  type StoredTurn,
} from './conversation.queries';
import { settleConversation } from './conversation-final';
import type { ConversationDeps } from './conversation-deps';
import {
  finishTurnText,
  recall,
  voiceModifiers,
  type InfluencePolicy,
  type RecallableMemory,
} from './memory-influence';
import { readRoom } from './room-figures';
import { seededRandom, uniformInt } from './seeded-random';
import { chooseSpeaker } from './speaker-choice';

export type RoundtablePayload = z.infer<typeof RoundtableStep>;

export type { ConversationDeps } from './conversation-deps';

export interface ConversationStep {
  readonly stepId: string;
  readonly proposalId: string;
  readonly proposer: Agent;
  readonly payload: RoundtablePayload;
  /** Aborted when the lease is lost or the worker drains: the next turn is not spoken. */
  readonly signal: AbortSignal;
}

/** The context a turn sees: the last five. */
export const CONTEXT_TURNS = 5;
/** How many of the speaker's newest memories influence and voice evolution choose from. */
const MEMORIES_CONSIDERED = 50;

/** N uniform in the format's range, drawn from the step id: a retry that must plan again draws the same. */
export function planConversation(
  step: ConversationStep,
  affinities: ConversationPlan['affinities'],
): ConversationPlan {
  const spec = conversationFormatSpecs[step.payload.format];
  const participants = [...new Set(step.payload.participants)];
  return {
    participants,
    plannedTurns: uniformInt(seededRandom(`${step.stepId}:turns`), spec.minTurns, spec.maxTurns),
    affinities,
    convener: participants.includes('atlas') ? 'atlas' : step.proposer,
  };
}

async function startOrResume(deps: ConversationDeps, step: ConversationStep): Promise<StoredConversation> {
  const found = await selectStepConversation(deps.pool, step.stepId);
  if (found) return found;
  const { format, topic } = step.payload;
  const plan = planConversation(step, await selectAffinities(deps.pool, step.payload.participants));
  await withTransaction(deps.pool, async (client) => {
    const at = deps.clock.now();
    const id = await insertRunningConversation(client, { ...step, format, topic, plan, at });
    if (id === undefined) return; // another attempt started it first
    await appendEvent(client, {
      type: 'conversation_started',
      aggregateType: 'conversation',
      aggregateId: id,
      agent: plan.convener,
      tags: ['roundtable', format],
      payload: {
        conversationId: id,
        stepId: step.stepId,
        format,
        topic,
        participants: [...plan.participants],
        plannedTurns: plan.plannedTurns,
      },
    });
  });
  const started = await selectStepConversation(deps.pool, step.stepId);
  if (!started) throw new Error(`conversation of step ${step.stepId} was not started`);
  return started;
}

const linesOf = (turns: readonly StoredTurn[]): ConversationLine[] =>
  turns.map(({ turn, agent, text }) => ({ turn, agent, text }));

async function memoriesOf(deps: ConversationDeps, agent: Agent): Promise<RecallableMemory[]> {
  const rows = await selectSpeakerMemories(deps.pool, agent, MEMORIES_CONSIDERED);
  return rows.map((m) => ({ ...m, confidence: Number(m.confidence) }));
}

interface TurnInput {
  readonly conversation: StoredConversation;
  readonly turns: readonly StoredTurn[];
  readonly room: RoomFigures;
  readonly influence: InfluencePolicy;
  readonly signal: AbortSignal;
}

/**
 * The voice's answer, or the abort's reason as soon as the step's signal fires: a voice that hangs
 * (a stuck connection) does not keep an attempt that lost its lease speaking. Nothing is stored
 * for the abandoned turn; the next attempt speaks it.
 */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    // Settling after the abort changes nothing, and a late failure of abandoned work is not unhandled.
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Speaks turn n = stored + 1 and stores it with its event (or finds that another attempt did). */
async function speakNextTurn(deps: ConversationDeps, input: TurnInput): Promise<void> {
  const { conversation: c, turns } = input;
  const turn = turns.length + 1;
  const random = seededRandom(`${c.id}:turn:${turn}`);
  const agent = chooseSpeaker({
    participants: c.plan.participants,
    affinities: c.plan.affinities,
    spoken: turns.map((t) => t.agent),
    turnsLeft: c.plan.plannedTurns - turns.length,
    random,
  });
  const now = deps.clock.now();
  const memories = await memoriesOf(deps, agent);
  const modifiers = voiceModifiers(memories, c.topic, now);
  const spoken = await untilAborted(
    input.signal,
    deps.voice.speak({
      conversationId: c.id,
      turn,
      agent,
      format: c.format,
      topic: c.topic,
      temperature: conversationFormatSpecs[c.format].temperature,
      context: linesOf(turns.slice(-CONTEXT_TURNS)),
      modifiers: modifiers.map((m) => m.line),
      recalled: recall(memories, c.topic, input.influence, random(), now),
      room: input.room,
    }),
  );
  const text = finishTurnText(spoken.text, modifiers);
  const stored = await withTransaction(deps.pool, async (client) => {
    const inserted = await insertTurn(client, {
      conversationId: c.id,
      turn,
      agent,
      text,
      stance: spoken.stance,
      voice: spoken.voice,
      promptVersion: spoken.promptVersion,
      usage: spoken.usage ?? null,
      fallbackReason: spoken.fallbackReason ?? null,
      at: deps.clock.now(),
    });
    if (!inserted) return false; // a racing attempt stored this turn first; the caller reloads
    await appendEvent(client, {
      type: 'conversation_turn',
      aggregateType: 'conversation',
      aggregateId: c.id,
      agent,
      tags: ['roundtable', c.format],
      payload: { conversationId: c.id, turn, agent, text, stance: spoken.stance, voice: spoken.voice },
    });
    return true;
  });
  if (stored) deps.metrics?.turns.inc({ format: c.format, voice: spoken.voice });
}

/**
 * Runs the step's conversation to its end and returns the step's result. Idempotent: a finished
 * conversation returns its stored result; a running one resumes at its next turn.
 */
export async function runConversationStep(
  deps: ConversationDeps,
  step: ConversationStep,
): Promise<Record<string, unknown>> {
  const policy = RoundtablePolicy.parse((await getPolicy(deps.pool, 'roundtable')).value);
  if (!policy.enabled || !policy.formats.includes(step.payload.format))
    throw new PermanentError(`roundtable format "${step.payload.format}" is not enabled by policy`);
  const conversation = await startOrResume(deps, step);
  if (conversation.status === 'succeeded')
    return (conversation.outcome?.result ?? {}) as Record<string, unknown>;
  const influence = policySchemas.memory_influence.parse(
    (await getPolicy(deps.pool, 'memory_influence')).value,
  );
  const room = await readRoom(deps.pool, deps.clock.now());
  let turns = await selectTurns(deps.pool, conversation.id);
  if (turns.length > 0) {
    deps.metrics?.resumed.inc({ format: conversation.format });
    deps.logger.info(
      { conversationId: conversation.id, storedTurns: turns.length },
      'resuming a conversation',
    );
  }
  while (turns.length < conversation.plan.plannedTurns) {
    step.signal.throwIfAborted();
    await speakNextTurn(deps, { conversation, turns, room, influence, signal: step.signal });
    turns = await selectTurns(deps.pool, conversation.id);
  }
  step.signal.throwIfAborted();
  return settleConversation(deps, { conversation, turns, room, stepId: step.stepId });
}
