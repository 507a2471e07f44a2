import type { Agent, PolicyValue, ProposalInput, ProposedStep } from '@atc/contracts';
import type { CursorEvent } from './event-cursors.queries';

export type ReactionRule = PolicyValue<'reaction_matrix'>['rules'][number];

/**
 * Tags an event carries for the matrix: its stored tags plus two derived from outcomes, because the
 * ledger tags an outcome `trade, closed, win|loss` and the matrix asks for `big_loss`/`big_win`
 * (pnl fraction at most −0.30 / at least +0.50, the trigger thresholds).
 */
export function tagsOf(event: CursorEvent): Set<string> {
  const tags = new Set(event.tags);
  if (event.type === 'outcome_recorded') {
    const pnl = Number(event.payload.pnlFraction);
    if (pnl <= -0.3) tags.add('big_loss');
    if (pnl >= 0.5) tags.add('big_win');
  }
  return tags;
}

/**
 * The agent an event is attributed to: its own, or scout for events no agent wrote (fills,
 * positions, outcomes: execution is scout's).
 */
export const sourceOf = (event: CursorEvent): Agent => event.agent ?? 'scout';

/** Rules an event matches: the source agent (or `*`) and every required tag. */
export function matchingRules(event: CursorEvent, rules: readonly ReactionRule[]): ReactionRule[] {
  const tags = tagsOf(event);
  const source = sourceOf(event);
  return rules.filter(
    (rule) => (rule.source === '*' || rule.source === source) && rule.tags.every((tag) => tags.has(tag)),
  );
}

/** Reaction type → the work the target agent proposes (original-system.md §6.3, one vocabulary). */
export function stepForReaction(reactionType: string, source: Agent, target: Agent): ProposedStep {
  const topic = `${target} reacts to ${source}: ${reactionType}`;
  switch (reactionType) {
    case 'review':
      return { kind: 'calculate_risk', scope: 'portfolio_review', details: { source, reactionType } };
    case 'propose_strategy':
      return {
        kind: 'roundtable',
        format: 'strategy_session',
        participants: [target, source, 'sage'].filter((a, i, all) => all.indexOf(a) === i) as Agent[],
        topic,
      };
    case 'diagnose':
      return { kind: 'analyze', topic, details: { analysisType: 'post_mortem', source } };
    case 'evaluate':
      return { kind: 'analyze', topic, details: { analysisType: 'evaluate_signal', source } };
    case 'analyze':
      return { kind: 'analyze', topic, details: { analysisType: 'execution_quality', source } };
    default:
      return { kind: 'analyze', topic, details: { analysisType: reactionType, source } };
  }
}

export function reactionProposal(reaction: {
  id: string;
  sourceAgent: Agent;
  targetAgent: Agent;
  reactionType: string;
}): ProposalInput {
  const step = stepForReaction(reaction.reactionType, reaction.sourceAgent, reaction.targetAgent);
  return {
    source: 'reaction',
    sourceTraceId: `reaction:${reaction.id}`,
    agent: reaction.targetAgent,
    title: `${reaction.targetAgent}: ${reaction.reactionType.replace(/_/g, ' ')} after ${reaction.sourceAgent}`,
    confidence: 0.7,
    steps: [step],
  };
}
