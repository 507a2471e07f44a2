import type { PoolClient } from '@atc/platform';
import { ProposalInput, type ProposalDecision } from '@atc/contracts';
import { appendEvent, submitProposalIn } from '@atc/trading';
import type { PhaseContext } from './heartbeat-phase';
import type { Facts } from './rule-conditions';
import { proposalForFire } from './trigger-actions';
import { claimRuleFire, type TriggerRuleRow } from './trigger-rules.queries';

/** Only primitives become facts (conditions and templates read nothing else). */
export function factsOf(
  payload: Readonly<Record<string, unknown>>,
): Record<string, string | number | boolean | null> {
  const facts: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      facts[key] = value as string | number | boolean | null;
    }
  }
  return facts;
}

/**
 * Fires a rule in the caller's transaction: the persisted cooldown claim, the proposal through the
 * intake and a `trigger_fired` event commit together. Undefined when the rule is on cooldown (or
 * another run fired it first). A proposal the rule cannot form is logged and not fired, so one bad
 * rule never blocks the events behind it.
 */
export async function fireRule(
  client: PoolClient,
  context: PhaseContext,
  fire: { rule: TriggerRuleRow; facts: Facts; gapMinutes: number },
): Promise<ProposalDecision | undefined> {
  const { rule, facts } = fire;
  const preview = ProposalInput.safeParse(proposalForFire(rule, rule.fireCount + 1, facts));
  if (!preview.success) {
    context.logger.warn(
      { rule: rule.name, issues: preview.error.issues },
      'trigger rule forms no valid proposal; not fired',
    );
    return undefined;
  }
  const fireCount = await claimRuleFire(client, {
    ruleId: rule.id,
    now: context.now,
    gapMinutes: fire.gapMinutes,
  });
  if (fireCount === undefined) return undefined;
  const decision = await submitProposalIn(client, proposalForFire(rule, fireCount, facts), {
    asOf: context.now,
    logger: context.logger,
  });
  await appendEvent(client, {
    type: 'trigger_fired',
    aggregateType: 'trigger_rule',
    aggregateId: rule.name,
    agent: rule.action.targetAgent,
    tags: ['trigger', rule.kind],
    payload: { rule: rule.name, fireCount, proposalId: decision.proposalId },
  });
  return decision;
}
