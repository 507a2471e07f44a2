import type { ProposedStep } from '@atc/contracts';
import { appendEvent, submitProposalIn, priceKeysOf, type PriceQuote, quoteEntries } from '@atc/trading';
import type { PhaseContext } from './heartbeat-phase';
import { readPhasePolicy } from './heartbeat-policies';
import { inPhaseTransaction } from './phase-transaction';
import { entryFor, signalProposal } from './signal-entries';
import { findSignals, type FoundSignal } from './signal-scan';
import { claimRuleFire, type TriggerRuleRow } from './trigger-rules.queries';

/** The seeded `proactive_scan_signals` rule (its action asks for an opportunity scan). */
export function isSignalScanRule(rule: TriggerRuleRow): boolean {
  return rule.action.payload.analysisType === 'opportunity_scan';
}

/**
 * intel's proactive scan: when the rule is due and the samples show signals, one fire of the rule
 * submits one entry per market (the strongest signal) through the intake, with a `signal_detected`
 * event each. No signal, no fire: the rule stays due and the next run looks again.
 */
export async function runSignalScan(
  context: PhaseContext,
  rule: TriggerRuleRow,
  gapMinutes: number,
): Promise<{ fired: boolean; proposals: number }> {
  const policy = await readPhasePolicy(context.pool, 'signal_scan');
  if (!policy.enabled) return { fired: false, proposals: 0 };
  const found = await findSignals(context, policy);
  const entries: { found: FoundSignal; step: ProposedStep }[] = [];
  const sizedFrom: PriceQuote[] = [];
  for (const signal of found) {
    const step = await entryFor(context, signal, policy, sizedFrom);
    if (step) entries.push({ found: signal, step });
    else
      context.logger.info(
        { market: signal.market, instrument: signal.instrument },
        'signal found but no entry fits the size limit',
      );
  }
  if (entries.length === 0) return { fired: false, proposals: 0 };
  // The gates price each entry from the quote it was sized from, else from one taken now, before
  // the transaction opens (or else a fresh mark).
  const sized = new Set(sizedFrom.map((q) => `${q.market}:${q.instrument}`));
  const unsized = entries
    .flatMap(({ step }) => (step.kind === 'execute_trade' ? [step.trade] : []))
    .filter((trade) => priceKeysOf(trade).some((key) => !sized.has(`${key.market}:${key.instrument}`)));
  const quotes = [...sizedFrom, ...(await quoteEntries(context, unsized))];
  return inPhaseTransaction(context, async (client) => {
    const fireCount = await claimRuleFire(client, { ruleId: rule.id, now: context.now, gapMinutes });
    if (fireCount === undefined) return { fired: false, proposals: 0 };
    for (const { found: signal, step } of entries) {
      const decision = await submitProposalIn(client, signalProposal(signal, step, fireCount), {
        asOf: context.now,
        quotes,
        logger: context.logger,
      });
      await appendEvent(client, {
        type: 'signal_detected',
        aggregateType: 'proposal',
        aggregateId: decision.proposalId,
        market: signal.market,
        agent: 'intel',
        tags: [
          'signal',
          ...signal.signal.kinds,
          ...(signal.signal.confidence > 0.8 ? ['high_confidence'] : []),
        ],
        payload: {
          market: signal.market,
          instrument: signal.instrument,
          direction: signal.signal.direction,
          kinds: signal.signal.kinds,
          confidence: signal.signal.confidence,
          last: signal.signal.last,
          proposalId: decision.proposalId,
        },
      });
    }
    await appendEvent(client, {
      type: 'trigger_fired',
      aggregateType: 'trigger_rule',
      aggregateId: rule.name,
      agent: 'intel',
      tags: ['trigger', 'proactive'],
      payload: { rule: rule.name, fireCount, proposalId: null },
    });
    return { fired: true, proposals: entries.length };
  });
}
