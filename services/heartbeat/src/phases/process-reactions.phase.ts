import { InputError, errorMessage } from '@atc/platform';
import { appendEvent, submitProposalIn } from '@atc/trading';
import { advanceEventCursor, lockEventCursor, selectEventsAfter } from './event-cursors.queries';
import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import { readPhasePolicy } from './heartbeat-policies';
import { inPhaseTransaction, throwIfCancelled } from './phase-transaction';
import { matchingRules, reactionProposal, sourceOf } from './reaction-matrix';
import {
  claimQueuedReactions,
  claimReactionCooldown,
  finishReaction,
  insertReaction,
} from './reactions.queries';

export interface ReactionSettings {
  readonly eventBatch: number;
  readonly eventSettleMs: number;
  /** Queued reactions turned into proposals per run. */
  readonly reactionBatch: number;
}

const CURSOR = 'reaction_matrix';

/**
 * The matrix over new events: per matching rule, the persisted cooldown first, then the
 * probability roll (one draw of the seeded random per rule that is off cooldown, in event order),
 * then a queued reaction. The cursor and everything queued commit together.
 */
async function queueReactions(
  context: PhaseContext,
  settings: ReactionSettings,
): Promise<{ events: number; queued: number }> {
  const { rules } = await readPhasePolicy(context.pool, 'reaction_matrix');
  return inPhaseTransaction(context, async (client) => {
    const after = await lockEventCursor(client, CURSOR);
    const events = await selectEventsAfter(client, {
      afterId: after,
      limit: settings.eventBatch,
      settleMs: settings.eventSettleMs,
    });
    let queued = 0;
    // Keys known to be on cooldown for the rest of this batch: no round trip to ask again.
    const cooling = new Set<string>();
    for (const event of events) {
      throwIfCancelled(context);
      for (const rule of matchingRules(event, rules)) {
        const source = sourceOf(event);
        const key = `${source}:${rule.target}:${rule.reactionType}`;
        if (cooling.has(key)) continue;
        const until = new Date(context.now.getTime() + rule.cooldownMinutes * 60_000);
        // The roll comes after the cooldown claim is checked but must not take the slot when it fails.
        await client.query('savepoint reaction_roll');
        if (!(await claimReactionCooldown(client, { key, now: context.now, until }))) {
          cooling.add(key);
          continue;
        }
        if (context.random() >= rule.probability) {
          await client.query('rollback to savepoint reaction_roll');
          continue;
        }
        if (rule.cooldownMinutes > 0) cooling.add(key);
        const reactionId = await insertReaction(client, {
          sourceAgent: source,
          targetAgent: rule.target,
          reactionType: rule.reactionType,
          eventId: event.id,
        });
        await appendEvent(client, {
          type: 'reaction_queued',
          aggregateType: 'reaction',
          aggregateId: reactionId,
          agent: rule.target,
          tags: ['reaction', rule.reactionType],
          payload: {
            reactionId,
            sourceAgent: source,
            targetAgent: rule.target,
            reactionType: rule.reactionType,
            eventId: event.id,
          },
        });
        queued += 1;
      }
    }
    if (events.length > 0) await advanceEventCursor(client, CURSOR, events[events.length - 1]!.id);
    return { events: events.length, queued };
  });
}

/** Each queued reaction becomes a proposal of its target agent, in its own transaction. */
async function processQueued(
  context: PhaseContext,
  settings: ReactionSettings,
): Promise<{ processed: number; failed: number }> {
  const tally = { processed: 0, failed: 0 };
  for (let i = 0; i < settings.reactionBatch; i++) {
    const done = await inPhaseTransaction(context, async (client) => {
      const [reaction] = await claimQueuedReactions(client, 1);
      if (!reaction) return 'none' as const;
      try {
        await client.query('savepoint reaction_intake');
        const decision = await submitProposalIn(client, reactionProposal(reaction), {
          asOf: context.now,
          logger: context.logger,
        });
        await finishReaction(client, {
          id: reaction.id,
          status: 'processed',
          proposalId: decision.proposalId,
          error: null,
          at: context.now,
        });
        return 'processed' as const;
      } catch (error) {
        // Only a proposal the intake refuses as invalid fails the reaction; anything else (a
        // database error, a timeout) rolls back and the reaction stays queued for the next run.
        if (!(error instanceof InputError)) throw error;
        await client.query('rollback to savepoint reaction_intake');
        await finishReaction(client, {
          id: reaction.id,
          status: 'failed',
          proposalId: null,
          error: errorMessage(error),
          at: context.now,
        });
        return 'failed' as const;
      }
    });
    if (done === 'none') break;
    tally[done] += 1;
  }
  return tally;
}

export function processReactionsPhase(settings: ReactionSettings): HeartbeatPhase {
  return {
    name: 'process_reactions',
    async run(context): Promise<PhaseResult> {
      const matrix = await queueReactions(context, settings);
      const processed = await processQueued(context, settings);
      return { summary: { eventsRead: matrix.events, queued: matrix.queued, ...processed } };
    },
  };
}
