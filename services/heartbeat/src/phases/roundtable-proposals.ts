/**
 * What a scheduled or ad-hoc roundtable proposes (pure): its participants, topic and the proposal
 * with one `roundtable` step. Every draw comes from the random the caller seeds from the window, so
 * an occurrence is reproducible from its key.
 * @module
 */
import {
  agents,
  conversationFormatSpecs,
  type Agent,
  type ConversationFormat,
  type ConversationFormatSpec,
  type ProposalInput,
} from '@atc/contracts';
import type { BookFigures } from './roundtable-schedules.queries';

/** An integer in [min, max], uniformly. */
const between = (random: () => number, min: number, max: number) =>
  min + Math.min(max - min, Math.floor(random() * (max - min + 1)));

/**
 * The required participants, then optional ones in a random order up to a count drawn uniformly in
 * [minParticipants, maxParticipants] (never fewer than the required, never more than there are).
 */
export function drawParticipants(spec: ConversationFormatSpec, random: () => number): Agent[] {
  const count = between(random, spec.minParticipants, spec.maxParticipants);
  const pool = [...spec.optional];
  // Fisher–Yates with the seeded random.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const extra = Math.max(0, Math.min(pool.length, count - spec.required.length));
  return [...spec.required, ...pool.slice(0, extra)];
}

/** A debate: the pair, and the first other agent in the agents' order as mediator (§7). */
export function debateParticipants(a: Agent, b: Agent): [Agent, Agent, Agent] {
  const mediator = agents.find((agent) => agent !== a && agent !== b)!;
  return [a, b, mediator];
}

const money = (usd: string) => {
  const value = Number(usd);
  return `${value < 0 ? '-' : ''}${Math.abs(value).toFixed(2)} USD`;
};

/**
 * One of the format's canned topics; a review or post-mortem adds the book it is about: the open
 * positions and their unrealised P&L, and the day's realised P&L.
 */
export function drawTopic(
  format: ConversationFormat,
  random: () => number,
  book: BookFigures | undefined,
): string {
  const { topics } = conversationFormatSpecs[format];
  const topic = topics[Math.floor(random() * topics.length)] ?? topics[0]!;
  if (!book || (format !== 'position_review' && format !== 'post_mortem')) return topic;
  const open =
    book.openPositions === 0
      ? 'no open positions'
      : `${book.openPositions} open (${book.symbols.join(', ')}), unrealised ${money(book.unrealisedPnl)}`;
  return `${topic} [${open}; realised today ${money(book.realisedPnlSince)}]`.slice(0, 500);
}

const titles: Record<ConversationFormat, string> = {
  morning_standup: 'Morning standup',
  position_review: 'Position review',
  post_mortem: 'Post-mortem',
  debate: 'Debate',
  strategy_session: 'Strategy session',
  watercooler: 'Watercooler',
  trade_review: 'Trade review',
};

/**
 * The proposal of one occurrence: one `roundtable` step, from the convener (atlas for the schedule,
 * the mediator for a debate). The trace id names the occurrence, so the intake's idempotency is a
 * second guard behind the window's row.
 */
export function roundtableProposal(occurrence: {
  readonly format: ConversationFormat;
  readonly traceId: string;
  readonly label: string;
  readonly participants: readonly Agent[];
  readonly topic: string;
  readonly convener: Agent;
}): ProposalInput {
  return {
    source: 'trigger',
    sourceTraceId: occurrence.traceId,
    agent: occurrence.convener,
    title: `${titles[occurrence.format]} (${occurrence.label})`,
    rationale: `scheduled roundtable ${occurrence.format} (${occurrence.label})`,
    confidence: 0.7,
    steps: [
      {
        kind: 'roundtable',
        format: occurrence.format,
        participants: [...occurrence.participants],
        topic: occurrence.topic,
      },
    ],
  };
}
