import Decimal from 'decimal.js';
import type { PoolClient } from '@atc/platform';
import type { ProposalInput } from '@atc/contracts';
import { appendEvent, submitProposalIn } from '@atc/trading';
import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import { inPhaseTransaction } from './phase-transaction';
import { selectCloseReasons } from './trigger-facts.queries';
import {
  claimUnlearnedOutcomes,
  insertMemories,
  promoteMemories,
  selectLatestOutcomeTypes,
  selectSystemHealth,
  type NewMemory,
  type UnlearnedOutcome,
} from './memories.queries';

export interface LearningSettings {
  readonly maxPromotions: number;
  readonly maxOutcomes: number;
}

/** Promotes confident or upvoted memories, a few per run. */
export function promoteInsightsPhase(settings: LearningSettings): HeartbeatPhase {
  return {
    name: 'promote_insights',
    async run(context): Promise<PhaseResult> {
      const promoted = await inPhaseTransaction(context, async (client) => {
        const rows = await promoteMemories(client, settings.maxPromotions);
        for (const row of rows) {
          await appendEvent(client, {
            type: 'memory_promoted',
            aggregateType: 'memory',
            aggregateId: row.id,
            agent: row.agent,
            tags: ['memory', 'promoted'],
            payload: { memoryId: row.id, agent: row.agent, confidence: row.confidence },
          });
        }
        return rows.length;
      });
      return { summary: { promoted } };
    },
  };
}

/**
 * One lesson per outcome for the agent that proposed the trade (growth for an untraceable win,
 * sage otherwise). Confidence 0.5 + |pnl fraction|, clamped into the lesson band 0.55–0.75.
 */
export function lessonOf(outcome: UnlearnedOutcome, closeReason: string | null): NewMemory {
  const pnl = new Decimal(outcome.pnlFraction);
  const percent = pnl.times(100).toDecimalPlaces(2).toFixed();
  const how = closeReason ? ` (closed by ${closeReason.replace(/_/g, ' ')})` : '';
  const held = `${Math.round(outcome.holdSeconds / 60)} min`;
  const content =
    outcome.outcomeType === 'win'
      ? `A ${outcome.side} in ${outcome.market} ${outcome.symbol} won ${percent}% in ${held}${how}: repeat what set it up.`
      : outcome.outcomeType === 'loss'
        ? `A ${outcome.side} in ${outcome.market} ${outcome.symbol} lost ${percent}% in ${held}${how}: check the entry and the stop distance.`
        : `A ${outcome.side} in ${outcome.market} ${outcome.symbol} broke even in ${held}${how}: the move did not pay for the trade.`;
  const confidence = Math.min(0.75, Math.max(0.55, 0.5 + pnl.abs().toNumber()));
  return {
    agent: outcome.proposer ?? (outcome.outcomeType === 'win' ? 'growth' : 'sage'),
    type: 'lesson',
    content,
    confidence: Number(confidence.toFixed(2)),
    tags: [outcome.outcomeType, outcome.market, outcome.symbol, ...(closeReason ? [closeReason] : [])],
    sourceTraceId: outcome.id,
    metadata: { outcomeId: outcome.id, pnlFraction: outcome.pnlFraction, realisedPnl: outcome.realisedPnl },
  };
}

const analysis = (
  agent: 'growth' | 'observer',
  sourceTraceId: string,
  title: string,
  details: Record<string, unknown>,
): ProposalInput => ({
  source: 'agent',
  sourceTraceId,
  agent,
  title,
  confidence: 0.7,
  steps: [{ kind: 'analyze', topic: title, details }],
});

/**
 * growth asks to review a losing streak (the last three outcomes all losses), once per streak;
 * observer asks to investigate execution health (any step awaiting reconciliation, or three or
 * more failed steps in the last hour), at most once per hour.
 */
async function proposeFollowUps(client: PoolClient, context: PhaseContext, learned: number): Promise<number> {
  const proposals: ProposalInput[] = [];
  if (learned > 0) {
    const latest = await selectLatestOutcomeTypes(client, 3);
    if (latest.length === 3 && latest.every((o) => o.outcomeType === 'loss')) {
      proposals.push(
        analysis('growth', `growth:streak:${latest[0]!.id}`, 'Review a losing streak of 3 trades', {
          analysisType: 'losing_streak',
          outcomeIds: latest.map((o) => o.id),
        }),
      );
    }
  }
  const health = await selectSystemHealth(client, context.now);
  if (health.needsReconciliation > 0 || health.failedLastHour >= 3) {
    const hour = context.now.toISOString().slice(0, 13);
    proposals.push(
      analysis(
        'observer',
        `observer:health:${hour}`,
        `Investigate execution: ${health.failedLastHour} failed steps in the last hour, ${health.needsReconciliation} awaiting reconciliation`,
        { analysisType: 'system_health', ...health },
      ),
    );
  }
  let made = 0;
  for (const proposal of proposals) {
    const decision = await submitProposalIn(client, proposal, { asOf: context.now, logger: context.logger });
    if (!decision.replayed) made += 1;
  }
  return made;
}

export function learnFromOutcomesPhase(settings: LearningSettings): HeartbeatPhase {
  return {
    name: 'learn_from_outcomes',
    async run(context): Promise<PhaseResult> {
      return inPhaseTransaction(context, async (client) => {
        const outcomes = await claimUnlearnedOutcomes(client, settings.maxOutcomes, context.now);
        const reasons = await selectCloseReasons(
          client,
          outcomes.map((o) => o.id),
        );
        const inserted = await insertMemories(
          client,
          outcomes.map((o) => lessonOf(o, reasons.get(o.id) ?? null)),
        );
        for (const memory of inserted) {
          await appendEvent(client, {
            type: 'memory_created',
            aggregateType: 'memory',
            aggregateId: memory.id,
            agent: memory.agent,
            tags: ['memory', 'lesson'],
            payload: {
              memoryId: memory.id,
              agent: memory.agent,
              type: memory.type,
              sourceTraceId: memory.sourceTraceId,
            },
          });
        }
        const followUps = await proposeFollowUps(client, context, outcomes.length);
        return { summary: { outcomes: outcomes.length, lessons: inserted.length, followUps } };
      });
    },
  };
}
