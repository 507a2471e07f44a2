import { Agent, ConversationFormat, Market, type ProposalInput, type ProposedStep } from '@atc/contracts';
import { renderTemplate, type Facts } from './rule-conditions';
import type { TriggerRuleRow } from './trigger-rules.queries';

const participantsOf = (value: unknown): Agent[] => {
  const parsed = Agent.array().min(2).max(6).safeParse(value);
  return parsed.success ? parsed.data : ['atlas', 'sage', 'scout'];
};

/** The one step a rule's action asks for; the payload's fields and the facts become its details. */
export function stepForAction(rule: TriggerRuleRow, title: string, facts: Facts): ProposedStep {
  const { payload, stepKind } = rule.action;
  const details = { ...payload, rule: rule.name, facts };
  const market = Market.safeParse(facts.market);
  const symbol = typeof facts.symbol === 'string' ? facts.symbol : undefined;
  switch (stepKind) {
    case 'roundtable': {
      const format = ConversationFormat.safeParse(payload.format);
      return {
        kind: 'roundtable',
        format: format.success ? format.data : 'position_review',
        participants: participantsOf(payload.participants),
        topic: title,
      };
    }
    case 'calculate_risk':
      return {
        kind: 'calculate_risk',
        scope: typeof payload.scope === 'string' ? payload.scope : title,
        details,
      };
    case 'monitor_position':
      if (market.success && symbol) return { kind: 'monitor_position', market: market.data, symbol };
      return { kind: 'analyze', topic: title, details };
    default:
      // Trades and closes come only from the scan and the exit monitors, which size and check them;
      // a rule that names one is read as a request to analyse.
      return { kind: 'analyze', topic: title, ...(market.success ? { market: market.data } : {}), details };
  }
}

/** The proposal a fired rule submits; the trace id names the fire, so a replay proposes nothing new. */
export function proposalForFire(rule: TriggerRuleRow, fireCount: number, facts: Facts): ProposalInput {
  const title = renderTemplate(rule.action.titleTemplate, facts).slice(0, 200);
  return {
    source: 'trigger',
    sourceTraceId: `trigger:${rule.name}:${fireCount}`,
    agent: rule.action.targetAgent,
    title,
    rationale: `trigger ${rule.name} (${rule.kind}) fired`,
    confidence: 0.7,
    steps: [stepForAction(rule, title, facts)],
  };
}
