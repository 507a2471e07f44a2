import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import {
  advanceEventCursor,
  lockEventCursor,
  selectEventsAfter,
  type CursorEvent,
} from './event-cursors.queries';
import { readPhasePolicy } from './heartbeat-policies';
import { inPhaseTransaction, throwIfCancelled } from './phase-transaction';
import { matchesConditions, type Facts } from './rule-conditions';
import { runSignalScan, isSignalScanRule } from './signal-scan.phase-step';
import { closedMarketsAt, describeClosed, sampleUniverse } from './signal-scan';
import { fireRule, factsOf } from './trigger-firing';
import { countOpenPositions, selectCloseReasons, selectWorstMarkedPositions } from './trigger-facts.queries';
import { selectEnabledRules, type TriggerRuleRow } from './trigger-rules.queries';

export interface TriggerPhaseSettings {
  /** Events read per run. */
  readonly eventBatch: number;
  /** How old an event must be before the cursor passes it (see selectEventsAfter). */
  readonly eventSettleMs: number;
}

const CURSOR = 'triggers';

async function factsForEvents(
  context: PhaseContext,
  events: readonly CursorEvent[],
): Promise<Map<string, Facts>> {
  const outcomeIds = events
    .filter((e) => e.type === 'outcome_recorded' && typeof e.payload.outcomeId === 'string')
    .map((e) => e.payload.outcomeId as string);
  const reasons = await selectCloseReasons(context.pool, outcomeIds);
  const openPositionCount = events.some((e) => e.type === 'position_changed')
    ? await countOpenPositions(context.pool)
    : null;
  const facts = new Map<string, Facts>();
  for (const event of events) {
    const base = { ...factsOf(event.payload), market: event.market };
    if (event.type === 'outcome_recorded') {
      facts.set(event.id, { ...base, closeReason: reasons.get(String(event.payload.outcomeId)) ?? null });
    } else if (event.type === 'position_changed') {
      facts.set(event.id, { ...base, openPositionCount });
    } else if (event.type === 'signal_detected') {
      facts.set(event.id, { ...base, symbol: String(event.payload.instrument) });
    } else facts.set(event.id, base);
  }
  return facts;
}

/** Reactive rules over the events since the cursor; the fires and the cursor commit together. */
async function fireFromEvents(
  context: PhaseContext,
  rules: readonly TriggerRuleRow[],
  settings: TriggerPhaseSettings,
): Promise<{ events: number; fired: number }> {
  const reactive = rules.filter((r) => r.kind === 'reactive' && r.triggerEvent !== 'position_marked');
  return inPhaseTransaction(context, async (client) => {
    const after = await lockEventCursor(client, CURSOR);
    const events = await selectEventsAfter(client, {
      afterId: after,
      limit: settings.eventBatch,
      settleMs: settings.eventSettleMs,
    });
    const facts = await factsForEvents(
      context,
      events.filter((e) => reactive.some((r) => r.triggerEvent === e.type)),
    );
    let fired = 0;
    for (const event of events) {
      throwIfCancelled(context);
      const eventFacts = facts.get(event.id);
      if (!eventFacts) continue;
      for (const rule of reactive) {
        if (rule.triggerEvent !== event.type || !matchesConditions(rule.conditions, eventFacts)) continue;
        const decision = await fireRule(client, context, {
          rule,
          facts: eventFacts,
          gapMinutes: rule.cooldownMinutes,
        });
        if (decision) fired += 1;
      }
    }
    if (events.length > 0) await advanceEventCursor(client, CURSOR, events[events.length - 1]!.id);
    return { events: events.length, fired };
  });
}

/** `position_marked` rules read the marks mark_to_market stored, worst position first. */
async function fireOnMarks(context: PhaseContext, rules: readonly TriggerRuleRow[]): Promise<number> {
  const onMarks = rules.filter((r) => r.kind === 'reactive' && r.triggerEvent === 'position_marked');
  if (onMarks.length === 0) return 0;
  const positions = await selectWorstMarkedPositions(context.pool, 50);
  let fired = 0;
  for (const rule of onMarks) {
    const position = positions.find((p) => matchesConditions(rule.conditions, { ...p, status: 'open' }));
    if (!position) continue;
    const decision = await inPhaseTransaction(context, (client) =>
      fireRule(client, context, {
        rule,
        facts: { ...position, status: 'open' },
        gapMinutes: rule.cooldownMinutes,
      }),
    );
    if (decision) fired += 1;
  }
  return fired;
}

/**
 * Proactive rules by interval, each interval stretched or shrunk by a seeded jitter of ±20 % so the
 * rules drift apart instead of firing in lockstep. One random draw per rule, in name order, so a
 * seed reproduces the run.
 */
async function fireProactive(
  context: PhaseContext,
  rules: readonly TriggerRuleRow[],
): Promise<{ fired: number; signals: number }> {
  let fired = 0;
  let signals = 0;
  for (const rule of rules.filter((r) => r.kind === 'proactive')) {
    const gapMinutes = (rule.intervalMinutes ?? rule.cooldownMinutes) * (0.8 + 0.4 * context.random());
    const due =
      !rule.lastFiredAt || context.now.getTime() - rule.lastFiredAt.getTime() >= gapMinutes * 60_000;
    if (!due) continue;
    throwIfCancelled(context);
    if (isSignalScanRule(rule)) {
      const scan = await runSignalScan(context, rule, gapMinutes);
      signals += scan.proposals;
      if (scan.fired) fired += 1;
      continue;
    }
    const decision = await inPhaseTransaction(context, (client) =>
      fireRule(client, context, { rule, facts: { now: context.now.toISOString() }, gapMinutes }),
    );
    if (decision) fired += 1;
  }
  return { fired, signals };
}

export function evaluateTriggersPhase(settings: TriggerPhaseSettings): HeartbeatPhase {
  return {
    name: 'evaluate_triggers',
    async run(context): Promise<PhaseResult> {
      const closed = closedMarketsAt(context.now);
      for (const session of closed)
        context.logger.info(
          { market: session.market, reason: session.reason, holiday: session.holiday },
          'market closed: not scanned for entries',
        );
      const scanPolicy = await readPhasePolicy(context.pool, 'signal_scan');
      const sampling = scanPolicy.enabled
        ? await sampleUniverse(context, scanPolicy)
        : { sampled: 0, failed: 0, pruned: 0 };
      const rules = await selectEnabledRules(context.pool);
      const reactive = await fireFromEvents(context, rules, settings);
      const onMarks = await fireOnMarks(context, rules);
      const proactive = await fireProactive(context, rules);
      return {
        summary: {
          eventsRead: reactive.events,
          reactiveFired: reactive.fired + onMarks,
          proactiveFired: proactive.fired,
          signalProposals: proactive.signals,
          samples: sampling.sampled,
          quoteFailures: sampling.failed,
          closedMarkets: describeClosed(closed),
        },
      };
    },
  };
}
