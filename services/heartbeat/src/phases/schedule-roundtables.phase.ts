import {
  conversationFormatSpecs,
  scheduledFormats,
  type Agent,
  type ConversationFormat,
  type PolicyValue,
  type RoundtableSchedule,
  type ScheduledFormat,
} from '@atc/contracts';
import type { PoolClient } from '@atc/platform';
import { appendEvent, seededRandom, submitProposalIn } from '@atc/trading';
import { seedOf } from '../seeded-random';
import type { HeartbeatPhase, PhaseContext, PhaseResult } from './heartbeat-phase';
import { readPhasePolicy } from './heartbeat-policies';
import { inPhaseTransaction } from './phase-transaction';
import { debateParticipants, drawParticipants, drawTopic, roundtableProposal } from './roundtable-proposals';
import { localTime, scheduleState, zonedInstant } from './roundtable-schedule';
import {
  claimDebateCooldown,
  claimScheduleWindow,
  pruneScheduleWindows,
  selectBookFigures,
  selectPairsBelow,
  type AffinityPair,
} from './roundtable-schedules.queries';

export interface RoundtableScheduleSettings {
  /** Pairs below the debate threshold considered per run (lowest affinity first). */
  readonly maxDebatesPerRun: number;
}

type RoundtablePolicy = PolicyValue<'roundtable'>;
type Handled = 'held' | 'skipped' | 'already_handled' | 'waiting_for_positions';

/** The random of one occurrence: seeded from its key, so every run (and a replay) draws the same. */
const occurrenceRandom = (key: string) => seededRandom(seedOf(`roundtable:${key}`));

async function scheduledEvent(
  client: PoolClient,
  event: {
    format: ConversationFormat;
    window: string;
    held: boolean;
    convener: Agent;
    participants: readonly Agent[];
    proposalId: string | null;
  },
): Promise<void> {
  await appendEvent(client, {
    type: 'roundtable_scheduled',
    aggregateType: 'roundtable_schedule',
    aggregateId: `${event.format}:${event.window}`,
    agent: event.convener,
    tags: ['roundtable', event.format, event.held ? 'held' : 'skipped'],
    payload: {
      format: event.format,
      window: event.window,
      outcome: event.held ? 'held' : 'skipped',
      reason: event.held ? null : 'roll',
      participants: [...event.participants],
      proposalId: event.proposalId,
    },
  });
}

/**
 * One due occurrence, in one transaction: the roll (seeded from the window), the window's row, and
 * when held the proposal through the intake (the roundtable quota applies) and its id on the row.
 */
async function holdScheduled(
  context: PhaseContext,
  occurrence: {
    format: ScheduledFormat;
    window: string;
    closesAt: Date;
    schedule: RoundtableSchedule;
    timeZone: string;
  },
): Promise<Handled> {
  const { format, window, closesAt, schedule, timeZone } = occurrence;
  const spec = conversationFormatSpecs[format];
  return inPhaseTransaction(context, async (client) => {
    const since = zonedInstant(window, 0, timeZone);
    const book =
      schedule.requiresOpenPositions || format === 'post_mortem'
        ? await selectBookFigures(client, since)
        : undefined;
    // Not recorded: a position opened later in the window can still bring the review on.
    if (schedule.requiresOpenPositions && book!.openPositions === 0) return 'waiting_for_positions';
    if (!(await claimScheduleWindow(client, { format, window, closesAt }))) return 'already_handled';
    const random = occurrenceRandom(`${format}:${window}`);
    const held = random() < (schedule.probability ?? spec.probability);
    if (!held) {
      await scheduledEvent(client, {
        format,
        window,
        held,
        convener: 'atlas',
        participants: [],
        proposalId: null,
      });
      return 'skipped';
    }
    const participants = drawParticipants(spec, random);
    const decision = await submitProposalIn(
      client,
      roundtableProposal({
        format,
        traceId: `schedule:${format}:${window}`,
        label: window,
        participants,
        topic: drawTopic(format, random, book),
        convener: 'atlas',
      }),
      { asOf: context.now, logger: context.logger },
    );
    await scheduledEvent(client, {
      format,
      window,
      held,
      convener: 'atlas',
      participants,
      proposalId: decision.proposalId,
    });
    return 'held';
  });
}

/** A pair below the threshold: its cooldown, the roll, and when held a debate with a mediator. */
async function holdDebate(
  context: PhaseContext,
  policy: RoundtablePolicy,
  pair: AffinityPair,
): Promise<Handled> {
  const { agentA, agentB } = pair;
  const window = `${agentA}:${agentB}@${context.now.toISOString()}`;
  const random = occurrenceRandom(`debate:${window}`);
  const held = random() < (policy.debate.probability ?? conversationFormatSpecs.debate.probability);
  const until = new Date(context.now.getTime() + policy.debate.cooldownMinutes * 60_000);
  return inPhaseTransaction(context, async (client) => {
    const claim = { agentA, agentB, now: context.now, until };
    if (!(await claimDebateCooldown(client, claim))) return 'already_handled';
    const format = 'debate';
    const participants = debateParticipants(agentA, agentB);
    const convener = participants[2];
    if (!held) {
      await scheduledEvent(client, { format, window, held, convener, participants: [], proposalId: null });
      return 'skipped';
    }
    const decision = await submitProposalIn(
      client,
      roundtableProposal({
        format,
        traceId: `debate:${window}`,
        label: `${agentA} and ${agentB}, affinity ${pair.affinity.toFixed(2)}`,
        participants,
        topic: drawTopic(format, random, undefined),
        convener,
      }),
      { asOf: context.now, logger: context.logger },
    );
    const proposalId = decision.proposalId;
    await scheduledEvent(client, { format, window, held, convener, participants, proposalId });
    return 'held';
  });
}

function emptyTally(): Record<Handled, number> {
  return { held: 0, skipped: 0, already_handled: 0, waiting_for_positions: 0 };
}

/**
 * The roundtable's schedules (README.md here): each due scheduled format once per window, then the
 * ad-hoc debates of the pairs below the affinity threshold once per cooldown.
 */
export function scheduleRoundtablesPhase(settings: RoundtableScheduleSettings): HeartbeatPhase {
  return {
    name: 'schedule_roundtables',
    async run(context): Promise<PhaseResult> {
      const policy = await readPhasePolicy(context.pool, 'roundtable');
      if (!policy.enabled) return { summary: { enabled: 'no' } };
      const tally = emptyTally();
      for (const format of scheduledFormats) {
        const schedule = policy.schedules[format];
        if (!schedule || !policy.formats.includes(format)) continue;
        const state = scheduleState(schedule, policy.timeZone, context.now);
        if (state.kind !== 'due') continue;
        const { window, closesAt } = state;
        const occurrence = { format, window, closesAt, schedule, timeZone: policy.timeZone };
        tally[await holdScheduled(context, occurrence)] += 1;
      }
      const debates = emptyTally();
      if (policy.formats.includes('debate')) {
        const pairs = await selectPairsBelow(context.pool, {
          threshold: policy.debate.affinityThreshold,
          limit: settings.maxDebatesPerRun,
        });
        for (const pair of pairs) debates[await holdDebate(context, policy, pair)] += 1;
      }
      const pruned = await pruneScheduleWindows(context.pool, context.now);
      const { date } = localTime(context.now, policy.timeZone);
      return {
        summary: {
          localDate: date,
          held: tally.held,
          skipped: tally.skipped,
          alreadyHandled: tally.already_handled,
          waitingForPositions: tally.waiting_for_positions,
          debatesHeld: debates.held,
          debatesSkipped: debates.skipped,
          prunedWindows: pruned,
        },
      };
    },
  };
}
