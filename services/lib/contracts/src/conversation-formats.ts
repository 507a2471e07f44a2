/**
 * The roundtable's conversation formats (original-system.md §7), as data both the heartbeat (which
 * schedules them) and the roundtable worker (which runs them) read. Times are wall-clock in
 * `timeZone`, an IANA zone, so a schedule means the same thing in winter and summer.
 * @module
 */
import type { Agent, ConversationFormat } from './enums';

export interface ConversationFormatSpec {
  readonly format: ConversationFormat;
  /** Always take part. */
  readonly required: readonly Agent[];
  /** Fill at random up to `maxParticipants`. */
  readonly optional: readonly Agent[];
  readonly minParticipants: number;
  readonly maxParticipants: number;
  /** A conversation's length is drawn uniformly from [minTurns, maxTurns]. */
  readonly minTurns: number;
  readonly maxTurns: number;
  readonly temperature: number;
  /** Formal formats produce action items that enter the proposal intake. */
  readonly formal: boolean;
  /** Chance that a scheduled occurrence is held. */
  readonly probability: number;
  /** Canned topics used when the scheduler or a caller gives none. */
  readonly topics: readonly string[];
}

const ALL: readonly Agent[] = ['atlas', 'sage', 'scout', 'growth', 'intel', 'observer'];

export const conversationFormatSpecs: Readonly<Record<ConversationFormat, ConversationFormatSpec>> = {
  morning_standup: {
    format: 'morning_standup',
    required: ['atlas', 'sage', 'intel'],
    optional: ['scout', 'growth', 'observer'],
    minParticipants: 4,
    maxParticipants: 6,
    minTurns: 6,
    maxTurns: 12,
    temperature: 0.6,
    formal: true,
    probability: 1,
    topics: [
      "Today's plan: which setups are we watching at the open?",
      'Overnight moves and what they mean for our book',
      'Risk budget for the day: where do we size up or down?',
      'What did yesterday teach us about our entries?',
      'Which positions need attention before the open?',
    ],
  },
  position_review: {
    format: 'position_review',
    required: ['atlas', 'sage', 'scout'],
    optional: ['growth'],
    minParticipants: 3,
    maxParticipants: 4,
    minTurns: 4,
    maxTurns: 8,
    temperature: 0.5,
    formal: true,
    probability: 0.8,
    topics: [
      'Open positions: hold, trim or close?',
      'Are our stops still where they should be?',
      'Which position has the worst risk-reward now?',
      'Exposure by market: are we concentrated?',
      'Any position drifting toward its stop?',
    ],
  },
  post_mortem: {
    format: 'post_mortem',
    required: ['atlas', 'sage', 'scout', 'growth'],
    optional: ['intel'],
    minParticipants: 4,
    maxParticipants: 5,
    minTurns: 8,
    maxTurns: 15,
    temperature: 0.7,
    formal: true,
    probability: 1,
    topics: [
      "Today's trades: what worked and what did not?",
      'Slippage and fills: where did execution cost us?',
      'Signals we acted on versus signals we skipped',
      'Did the risk limits bind today, and should they?',
      'One change for tomorrow',
    ],
  },
  debate: {
    format: 'debate',
    // The scheduler names the low-affinity pair and a mediator; none is fixed here.
    required: [],
    optional: ALL,
    minParticipants: 2,
    maxParticipants: 3,
    minTurns: 6,
    maxTurns: 10,
    temperature: 0.8,
    formal: false,
    probability: 0.6,
    topics: [
      'Momentum entries: edge or noise?',
      'Tight stops versus room to breathe',
      'Should we trade the first thirty minutes?',
      'Size by conviction or size by volatility?',
      'Is our win rate telling us anything yet?',
    ],
  },
  strategy_session: {
    format: 'strategy_session',
    required: ['atlas', 'sage', 'growth'],
    optional: ['intel'],
    minParticipants: 3,
    maxParticipants: 4,
    minTurns: 10,
    maxTurns: 16,
    temperature: 0.65,
    formal: true,
    probability: 1,
    topics: [
      'The week ahead: what is our thesis?',
      'Which market deserves more of our risk budget?',
      'What should we stop doing?',
      'Reviewing the limits: too tight or too loose?',
      'New signals worth testing next week',
    ],
  },
  watercooler: {
    format: 'watercooler',
    required: [],
    optional: ALL,
    minParticipants: 2,
    maxParticipants: 3,
    minTurns: 3,
    maxTurns: 6,
    temperature: 0.9,
    formal: false,
    probability: 0.4,
    topics: [
      'The strangest fill of the week',
      'What the market felt like today',
      'Best call anyone made this week',
      'If we could add one instrument, which?',
      'Lessons from a quiet day',
    ],
  },
  trade_review: {
    format: 'trade_review',
    required: ['atlas', 'sage', 'scout'],
    optional: ['growth', 'observer'],
    minParticipants: 3,
    maxParticipants: 5,
    minTurns: 3,
    maxTurns: 6,
    temperature: 0.5,
    formal: false,
    probability: 1,
    topics: ['Should we take this trade?'],
  },
};
