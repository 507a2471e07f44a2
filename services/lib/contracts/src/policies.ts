/**
 * Policies: one row per key in `atc.policies`, each value validated by the schema below before it is
 * stored (an invalid policy is refused, never half-applied). Defaults are the previous system's
 * seeded limits (original-system.md §4.1) with every venue in simulation mode.
 * @module
 */
import { z } from 'zod';
import { Agent, ConversationFormat, FuturesExposureMeasure, MemoryType, StepKind, VenueMode } from './enums';
import { Fraction, NonNegativeDecimal, PositiveDecimal } from './money';
import {
  DEFAULT_ROUNDTABLE_TIME_ZONE,
  DebatePolicy,
  RoundtableSchedules,
  defaultDebatePolicy,
  defaultRoundtableSchedules,
} from './roundtable-schedules';

/** Zones already checked: building an Intl formatter is the costliest step of reading policies. */
const knownTimeZones = new Set<string>();

const isTimeZone = (zone: string) => {
  if (knownTimeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    knownTimeZones.add(zone);
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

const PerMarket = <T extends z.ZodType>(schema: T) =>
  z.object({ crypto: schema, options: schema, futures: schema }).strict();

/**
 * How the risk engine prices entries (design §5, invariant 10). Prices come from a venue quote taken
 * for the decision or the latest mark in `atc.price_samples`; ages are measured against the
 * decision's instant (`asOf`), never the wall clock inside the gates.
 */
export const PricingPolicy = z
  .object({
    /** A quote or mark older than this many seconds (per market) is not a price: `price_unavailable`. */
    maxPriceAgeSeconds: PerMarket(z.number().int().min(1).max(86_400)),
    /** |declared − priced| ÷ priced above this rejects a declared `notionalUsd` (fraction). */
    declaredNotionalTolerance: Fraction,
    /**
     * At send time the order is priced again; a priced exposure above the admitted one by more than
     * this fraction (per market) fails the step before any venue call.
     */
    sendNotionalTolerance: PerMarket(Fraction),
    /** What a futures entry's exposure measures: point value × contracts × price, or × stop distance. */
    futuresExposure: FuturesExposureMeasure,
  })
  .strict();

export const TradeLimitsPolicy = z
  .object({
    maxDailyTrades: z.number().int().min(0).max(10_000),
    maxOpenPositions: z.number().int().min(0).max(1_000),
    /** USD exposure of one entry as the engine prices it (see the trade shapes for each market). */
    maxPositionSizeUsd: PositiveDecimal,
    /**
     * USD: open positions measured as their entries were (crypto and options at cost, futures by
     * `pricing.futuresExposure`) plus the admitted exposure of entries not yet settled.
     */
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

/**
 * The roundtable: which formats run, and (issue 19, R3) when the heartbeat holds them. The schedule
 * fields are optional with the designed defaults, so a policy stored before them still parses.
 */
export const RoundtablePolicy = z
  .object({
    enabled: z.boolean(),
    formats: z.array(ConversationFormat).min(1),
    // R3 (schedules): roundtable-schedules.ts.
    timeZone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as America/Los_Angeles')
      .default(DEFAULT_ROUNDTABLE_TIME_ZONE),
    schedules: RoundtableSchedules.default(defaultRoundtableSchedules),
    debate: DebatePolicy.default(defaultDebatePolicy),
  })
  .strict();

/**
 * intel's signal scan (services/heartbeat/src/phases/README.md): the universe it samples each
 * heartbeat, the thresholds of its detectors, and how it sizes an entry. Futures `notionalUsd` is
 * the USD at risk to the stop, not the face value (one micro contract is worth far more than any
 * default limit).
 */
export const SignalScanPolicy = z
  .object({
    enabled: z.boolean(),
    universe: z
      .object({
        /** Token mints bought with `quoteMint`. */
        crypto: z.array(z.string().min(32).max(44)).max(20),
        /** Option underlyings (tickers); the scan picks a short-dated out-of-the-money contract. */
        options: z.array(z.string().regex(/^[A-Z.]{1,6}$/)).max(20),
        /** Futures roots. */
        futures: z.array(z.string().regex(/^[A-Z0-9]{1,5}$/)).max(20),
      })
      .strict(),
    quoteMint: z.string().min(32).max(44),
    /** Samples read per instrument, and the fewest that make a signal. */
    lookbackSamples: z.number().int().min(3).max(500),
    minSamples: z.number().int().min(3).max(500),
    /** Return over the lookback that counts as momentum (fraction). */
    momentumThreshold: Fraction,
    /** How far beyond the lookback's range the last price must be for a breakout (fraction). */
    breakoutMargin: Fraction,
    /** The last volume increment over the average increment that counts as a spike. */
    volumeSpikeMultiple: z.number().min(1).max(1000),
    sampleRetentionMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    notionalUsd: PerMarket(PositiveDecimal),
    stopLossFraction: PerMarket(Fraction),
    /** Take-profit distance as a multiple of the stop distance. */
    rewardRiskRatio: z.number().min(0.5).max(20),
    /** Strike distances tried, nearest first, until a contract fits `notionalUsd.options`. */
    optionsOtmFractions: z.array(Fraction).min(1).max(5),
  })
  .strict()
  .refine((p) => p.minSamples <= p.lookbackSamples, {
    message: 'must not exceed lookbackSamples',
    path: ['minSamples'],
  });

/** The heartbeat's exit monitors (stop-loss and take-profit come from each entry). */
export const PositionManagementPolicy = z
  .object({
    enabled: z.boolean(),
    /** Close when the mark falls this far from its best since entry, once in profit; 0 turns it off. */
    trailingStopFraction: Fraction,
  })
  .strict();

/** USD per million tokens, decimal strings (the provider's price list for one model). */
export const LlmPricing = z
  .object({ inputUsdPerMTok: NonNegativeDecimal, outputUsdPerMTok: NonNegativeDecimal })
  .strict();

/** One agent's daily LLM allowance; at 100 % of either figure it speaks with its rule-based voice. */
export const LlmBudget = z
  .object({
    dailyTokens: z.number().int().min(0).max(1_000_000_000),
    dailyCostUsd: NonNegativeDecimal,
  })
  .strict();

/**
 * LLM voices (services/roundtable/src/voices): prices per model id (the model itself is
 * ANTHROPIC_MODEL; a model without a price is never called) and every agent's daily budget, counted
 * per trading day of the calendar policy. At `warnAtFraction` of a budget one `llm_budget_warning`.
 */
export const LlmPolicy = z
  .object({
    pricing: z.record(z.string().min(1).max(200), LlmPricing),
    budgets: z.record(Agent, LlmBudget),
    warnAtFraction: Fraction,
  })
  .strict();

/** The budget alerts an agent's LLM usage raises, once per trading day each (`atc.llm_budget_alerts`). */
export const llmBudgetThresholds = ['warning', 'exhausted'] as const;
export type LlmBudgetThreshold = (typeof llmBudgetThresholds)[number];

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
  signal_scan: SignalScanPolicy,
  position_management: PositionManagementPolicy,
  pricing: PricingPolicy,
  llm: LlmPolicy,
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
  'signal_scan',
  'position_management',
  'pricing',
  'llm',
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
