/**
 * The rule-based voice: every agent speaks, votes and remembers from the room's figures
 * (roundtable-voices.ts), deterministically and without a network. It is the voice when no LLM is
 * configured and the fallback of the LLM voice.
 * @module
 */
import type { Agent } from '@atc/contracts';
import { conversationFormatSpecs } from '@atc/contracts';
import { stanceOf, type RoomFigures, type Stance } from '../roundtable-voices';
import type {
  AgentVoice,
  CastVote,
  DistillRequest,
  MemoryDraft,
  SpokenTurn,
  TurnRequest,
  VoteChoice,
  VoteRequest,
} from './agent-voice';

export const RULES_PROMPT_VERSION = 'rules.v1';
const provenance = { voice: 'rules', promptVersion: RULES_PROMPT_VERSION } as const;

/** What each agent would have someone re-check when it cautions. */
const FOCUS: Readonly<Record<Agent, string>> = {
  atlas: 'the plan',
  sage: 'the risk limits',
  scout: 'the execution ranges',
  growth: 'the win rate',
  intel: 'the biggest mover',
  observer: 'the failed steps',
};

/** A reply to the previous speaker: agreement, disagreement, a challenge or support, by stance. */
function replyPrefix(own: Stance, theirs: Stance, previous: Agent): string {
  if (own === 'neutral') return `Noted, ${previous}.`;
  if (theirs === own) return `Agreed, ${previous}.`;
  if (theirs === 'neutral') return own === 'caution' ? `Are we sure, ${previous}?` : `I support moving on.`;
  return `But ${previous},`;
}

/** atlas's reply in a formal format ends with a next step for the most cautious colleague. */
function nextStep(room: RoomFigures, topic: string, participants: readonly Agent[]): string {
  const cautious = participants.find((a) => a !== 'atlas' && stanceOf(a, room, topic).stance === 'caution');
  const who = cautious ?? 'intel';
  return `Next step: ${who} will re-check ${FOCUS[who]}.`;
}

function speakByRule(request: TurnRequest): Omit<SpokenTurn, 'voice' | 'promptVersion'> {
  const own = stanceOf(request.agent, request.room, request.topic);
  const previous = request.context.at(-1);
  const hasSpoken = request.context.some((line) => line.agent === request.agent);
  if (!previous || !hasSpoken) return { text: own.line, stance: own.stance };
  const theirs = stanceOf(previous.agent, request.room, request.topic).stance;
  const prefix = replyPrefix(own.stance, theirs, previous.agent);
  if (request.agent === 'atlas' && conversationFormatSpecs[request.format].formal) {
    const speakers = [...new Set(request.context.map((line) => line.agent))];
    return { text: `${prefix} ${nextStep(request.room, request.topic, speakers)}`, stance: own.stance };
  }
  return { text: `${prefix} ${own.line}`, stance: own.stance };
}

const VOTE_OF: Readonly<Record<Stance, VoteChoice>> = {
  support: 'support',
  caution: 'oppose',
  neutral: 'abstain',
};

function voteByRule(request: VoteRequest): Omit<CastVote, 'voice' | 'promptVersion'> {
  const own = stanceOf(request.agent, request.room, request.topic);
  const vote = VOTE_OF[own.stance];
  // sage's caution is the firmest view in the room: it is the one that can veto.
  const confidence = vote === 'abstain' ? 0.5 : vote === 'oppose' && request.agent === 'sage' ? 0.85 : 0.7;
  return { vote, confidence, reason: own.line.slice(0, 200) };
}

const LESSON = /\b(hold|caution|halted|near our limits|slip|fix|not there)\b/i;
const PATTERN = /\b(moved|ranged|win rate)\b/i;
const UNSURE = /\b(too few|no clear|quiet|no recent|noted)\b/i;

/** One memory per participant from its last line (less sure the less it said), and the convener's plan. */
function distillByRule(request: DistillRequest): MemoryDraft[] {
  const drafts: MemoryDraft[] = [];
  const tags = ['roundtable', request.format];
  for (const agent of request.participants) {
    const lines = request.transcript.filter((line) => line.agent === agent);
    const last = lines.at(-1);
    if (!last) continue;
    const type = LESSON.test(last.text) ? 'lesson' : PATTERN.test(last.text) ? 'pattern' : 'insight';
    const confidence = UNSURE.test(last.text) ? 0.5 : Math.min(0.8, 0.5 + 0.1 * lines.length);
    const content = `${request.format} "${request.topic}": ${last.text}`.slice(0, 300);
    drafts.push({ agent, type, content, confidence, tags });
  }
  const speakers = [...new Set(request.transcript.map((line) => line.agent))].join(', ');
  drafts.unshift({
    agent: request.convener,
    type: 'strategy',
    content: `${request.format} "${request.topic}": ${request.transcript.length} turns (${speakers}).`.slice(
      0,
      300,
    ),
    confidence: 0.8,
    tags,
  });
  return drafts;
}

/** The deterministic voice: from the figures, the same words for the same room. */
export function createRulesVoice(): AgentVoice {
  return {
    speak: (request) => Promise.resolve({ ...provenance, ...speakByRule(request) }),
    vote: (request) => Promise.resolve({ ...provenance, ...voteByRule(request) }),
    distill: (request) => Promise.resolve({ ...provenance, memories: distillByRule(request) }),
  };
}
