/**
 * When the heartbeat holds the roundtable's conversations (issue 19; original-system.md §7): the
 * `schedules` and `debate` parts of the `roundtable` policy. Times are wall-clock in the policy's
 * `timeZone`, an explicit IANA zone (the designed schedules are Pacific), so 06:30 means 06:30 in
 * winter and in summer. The phase that reads them is services/heartbeat/src/phases (README there).
 * @module
 */
import { z } from 'zod';

/** The formats a clock can schedule: a debate is ad hoc (a pair's affinity), a trade review per proposal. */
export const scheduledFormats = [
  'morning_standup',
  'position_review',
  'post_mortem',
  'strategy_session',
  'watercooler',
] as const;
export type ScheduledFormat = (typeof scheduledFormats)[number];

/** What a roll did (the `roundtable_scheduled` event). */
export const roundtableScheduleOutcomes = ['held', 'skipped'] as const;
export type RoundtableScheduleOutcome = (typeof roundtableScheduleOutcomes)[number];
/** Why an occurrence was skipped. */
export const roundtableSkipReasons = ['roll'] as const;
export type RoundtableSkipReason = (typeof roundtableSkipReasons)[number];

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

const Probability = z.number().min(0).max(1);

export const RoundtableSchedule = z
  .object({
    /** Local time of day, 24-hour `HH:MM`, in the policy's `timeZone`. */
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'),
    /** `trading`: NYSE trading days (no weekend, no holiday); `daily`; or the listed weekdays. */
    days: z.union([z.enum(['trading', 'daily']), z.array(z.enum(weekdays)).min(1).max(7)]),
    /** Chance the occurrence is held; unset, the format's (conversationFormatSpecs). */
    probability: Probability.optional(),
    /** Held only while at least one position is open (position_review). */
    requiresOpenPositions: z.boolean().default(false),
    /**
     * The window: from `at` for this many minutes, never past the end of that local day. A heartbeat
     * inside it holds (or skips) the occurrence once; one after it lets the occurrence go.
     */
    maxLatenessMinutes: z.number().int().min(1).max(1_440).default(180),
  })
  .strict();
export type RoundtableSchedule = z.infer<typeof RoundtableSchedule>;

export const RoundtableSchedules = z
  .object({
    morning_standup: RoundtableSchedule.optional(),
    position_review: RoundtableSchedule.optional(),
    post_mortem: RoundtableSchedule.optional(),
    strategy_session: RoundtableSchedule.optional(),
    watercooler: RoundtableSchedule.optional(),
  })
  .strict();
export type RoundtableSchedules = z.infer<typeof RoundtableSchedules>;

/** The ad-hoc debate: a pair whose affinity is below the threshold, with a mediator. */
export const DebatePolicy = z
  .object({
    affinityThreshold: z.number().min(0).max(1).default(0.4),
    /** At most one debate roll per pair in this many minutes (held or skipped). */
    cooldownMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .default(24 * 60),
    /** Unset, the format's (0.6). */
    probability: Probability.optional(),
  })
  .strict();
export type DebatePolicy = z.infer<typeof DebatePolicy>;

/**
 * The designed schedules (original-system.md §7), Pacific time: the standup at the NYSE open, the
 * position review at 11:00 if positions are open, the post-mortem at 13:30 after the close, the
 * strategy session on Sunday evening, the watercooler at 18:00 every day.
 */
export const defaultRoundtableSchedules: RoundtableSchedules = {
  morning_standup: { at: '06:30', days: 'trading', requiresOpenPositions: false, maxLatenessMinutes: 180 },
  position_review: { at: '11:00', days: 'trading', requiresOpenPositions: true, maxLatenessMinutes: 180 },
  post_mortem: { at: '13:30', days: 'trading', requiresOpenPositions: false, maxLatenessMinutes: 180 },
  strategy_session: { at: '18:00', days: ['sun'], requiresOpenPositions: false, maxLatenessMinutes: 180 },
  watercooler: { at: '18:00', days: 'daily', requiresOpenPositions: false, maxLatenessMinutes: 180 },
};

export const DEFAULT_ROUNDTABLE_TIME_ZONE = 'America/Los_Angeles';
export const defaultDebatePolicy: DebatePolicy = { affinityThreshold: 0.4, cooldownMinutes: 24 * 60 };
