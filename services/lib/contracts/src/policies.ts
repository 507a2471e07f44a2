import { z } from 'zod';
import { Agent, ConversationFormat, MemoryType, StepKind, VenueMode } from './enums';
import { Fraction, NonNegativeDecimal, PositiveDecimal } from './money';

/**
 * Policies: one row per key in `atc.policies`, each value validated by the schema below before it is
 * stored (an invalid policy is refused, never half-applied). Defaults are the previous system's
 * seeded limits (original-system.md §4.1) with every venue in simulation mode.
 */
const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const CalendarPolicy = z
  .object({
    /** The trading day (daily counters, daily loss) is the calendar date in this zone. */
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
  })
  .strict();

export const TradeLimitsPolicy = z
  .object({
    maxDailyTrades: z.number().int().min(0).max(10_000),
    maxOpenPositions: z.number().int().min(0).max(1_000),
    maxPositionSizeUsd: PositiveDecimal,
    maxTotalExposureUsd: PositiveDecimal,
    minConfidence: Fraction,
    /** Realised loss in one trading day that trips the reduce-only latch. */
    maxDailyLossUsd: PositiveDecimal,
  })
  .strict();

export const RiskControlsPolicy = z
  .object({
    maxPortfolioRisk: Fraction,
    maxSinglePositionRisk: Fraction,
    stopLossRequired: z.boolean(),
    /** Distance of the default stop below (long) or above (short) the entry, as a fraction. */
    defaultStopLossFraction: Fraction,
    /** While halted, may close_position proposals still pass (they only reduce risk)? */
    allowClosingWhenHalted: z.boolean(),
    /** Refuse to scale into a position that is down more than this fraction. */
    maxScaleInDrawdown: Fraction,
  })
  .strict();

export const QuotasPolicy = z
  .object({
    maxDailyAnalyses: z.number().int().min(0).max(100_000),
    maxDailyRoundtables: z.number().int().min(0).max(10_000),
  })
  .strict();

export const ApprovalPolicy = z
  .object({
    /** Proposals made only of these step kinds are approved without a vote. */
    autoApproveStepKinds: z.array(StepKind),
    autoApproveTrades: z
      .object({
        enabled: z.boolean(),
        /** Trades at or above this notional go to a vote or an operator (large_trade_threshold_usd). */
        maxNotionalUsd: NonNegativeDecimal,
        minConfidence: Fraction,
      })
      .strict(),
    /** An awaiting proposal expires (and gives its slots back) after this many minutes. */
    awaitingTtlMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  })
  .strict();

export const VenuesPolicy = z.object({ crypto: VenueMode, options: VenueMode, futures: VenueMode }).strict();

export const MemoryInfluencePolicy = z
  .object({
    enabled: z.boolean(),
    probability: Fraction,
    minConfidence: Fraction,
    typesUsed: z.array(MemoryType).min(1),
  })
  .strict();

export const RelationshipDriftPolicy = z
  .object({
    enabled: z.boolean(),
    maxDriftPerConversation: Fraction,
    minAffinity: Fraction,
    maxAffinity: Fraction,
  })
  .strict()
  .refine((p) => p.minAffinity < p.maxAffinity, {
    message: 'must be above minAffinity',
    path: ['maxAffinity'],
  });

export const InitiativePolicy = z
  .object({
    enabled: z.boolean(),
    minMemoriesRequired: z.number().int().min(0),
    maxProposalsPerDay: z.number().int().min(0),
    cooldownHours: z.number().int().min(0),
  })
  .strict();

export const AgentDefinition = z
  .object({
    role: z.string().min(1),
    directive: z.string().min(1),
    tone: z.string().min(1),
    defaultStepKinds: z.array(StepKind),
    preferredPartners: z.array(Agent),
    color: z.string().regex(/^#[0-9A-Fa-f]{6}$/),
  })
  .strict();
export const AgentsPolicy = z.record(Agent, AgentDefinition);

export const ReactionRule = z
  .object({
    source: z.union([Agent, z.literal('*')]),
    tags: z.array(z.string().min(1)).min(1),
    target: Agent,
    reactionType: z.string().min(1),
    probability: Fraction,
    cooldownMinutes: z.number().int().min(0),
  })
  .strict();
export const ReactionMatrixPolicy = z.object({ rules: z.array(ReactionRule) }).strict();

export const RoundtablePolicy = z
  .object({ enabled: z.boolean(), formats: z.array(ConversationFormat).min(1) })
  .strict();

/** Every operator-settable key and its schema. `halts` is state, changed only by the kill switch. */
export const policySchemas = {
  calendar: CalendarPolicy,
  trade_limits: TradeLimitsPolicy,
  risk_controls: RiskControlsPolicy,
  quotas: QuotasPolicy,
  approval: ApprovalPolicy,
  venues: VenuesPolicy,
  memory_influence: MemoryInfluencePolicy,
  relationship_drift: RelationshipDriftPolicy,
  initiative: InitiativePolicy,
  agents: AgentsPolicy,
  reaction_matrix: ReactionMatrixPolicy,
  roundtable: RoundtablePolicy,
} as const;

export type SettablePolicyKey = keyof typeof policySchemas;
export type PolicyValue<K extends SettablePolicyKey> = z.infer<(typeof policySchemas)[K]>;
export const settablePolicyKeys = Object.keys(policySchemas) as SettablePolicyKey[];

/** All keys the `policies` table accepts (its CHECK constraint equals this list). */
export const policyKeys = [
  'calendar',
  'trade_limits',
  'risk_controls',
  'quotas',
  'approval',
  'venues',
  'memory_influence',
  'relationship_drift',
  'initiative',
  'agents',
  'reaction_matrix',
  'roundtable',
  'halts',
] as const;
export const PolicyKey = z.enum(policyKeys);
export type PolicyKey = z.infer<typeof PolicyKey>;

/** A halt: who stopped trading, when and why. */
export const Halt = z
  .object({ reason: z.string().min(1).max(500), by: z.string().min(1).max(200), since: z.string() })
  .strict();
export type Halt = z.infer<typeof Halt>;

/**
 * The `halts` row. A worker reads it `for share` in the transaction that moves a step to
 * `executing`; toggling it takes the row lock, so a committed halt is seen by every later transition.
 */
export const HaltsState = z
  .object({
    global: Halt.nullable(),
    markets: z
      .object({ crypto: Halt.nullable(), options: Halt.nullable(), futures: Halt.nullable() })
      .strict(),
    /** Daily realised-loss latch: reduce-only until an operator resets it. */
    lossLatch: z
      .object({ trippedAt: z.string(), tradingDay: z.string(), realisedPnlUsd: z.string() })
      .strict()
      .nullable(),
  })
  .strict();
export type HaltsState = z.infer<typeof HaltsState>;
