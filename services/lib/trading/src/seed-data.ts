/**
 * Seed data: the previous system's numbers (original-system.md §3, §4.1, §6), corrected where it was
 * broken — fractions instead of percents, every relationship pair in `agent_a < agent_b` order, one
 * vocabulary for step kinds — with every venue in simulation mode.
 * @module
 */
import {
  DEFAULT_ROUNDTABLE_TIME_ZONE,
  defaultDebatePolicy,
  defaultRoundtableSchedules,
  type Agent,
  type PolicyValue,
  type SettablePolicyKey,
  type StepKind,
} from '@atc/contracts';

export const defaultPolicies: { [K in SettablePolicyKey]: PolicyValue<K> } = {
  calendar: { timeZone: 'America/New_York' },
  trade_limits: {
    maxDailyTrades: 8,
    maxOpenPositions: 3,
    maxPositionSizeUsd: '60',
    // The previous system's hard-coded cap: 2 × max position size.
    maxTotalExposureUsd: '120',
    minConfidence: 0.6,
    // Not in the previous system; one full position's worth of loss per day.
    maxDailyLossUsd: '60',
  },
  risk_controls: {
    maxPortfolioRisk: 0.05,
    maxSinglePositionRisk: 0.02,
    stopLossRequired: true,
    defaultStopLossFraction: 0.3,
    allowClosingWhenHalted: true,
    maxScaleInDrawdown: 0.2,
  },
  quotas: { maxDailyAnalyses: 20, maxDailyRoundtables: 8 },
  approval: {
    autoApproveStepKinds: ['analyze', 'calculate_risk', 'monitor_position', 'close_position', 'roundtable'],
    // large_trade_threshold_usd 40: smaller trades above the floor go through without a vote.
    autoApproveTrades: { enabled: true, maxNotionalUsd: '40', minConfidence: 0.75 },
    awaitingTtlMinutes: 60,
  },
  venues: { crypto: 'simulation', options: 'simulation', futures: 'simulation' },
  memory_influence: {
    enabled: true,
    probability: 0.3,
    minConfidence: 0.6,
    typesUsed: ['strategy', 'lesson', 'pattern'],
  },
  relationship_drift: { enabled: true, maxDriftPerConversation: 0.03, minAffinity: 0.1, maxAffinity: 0.95 },
  initiative: { enabled: false, minMemoriesRequired: 5, maxProposalsPerDay: 3, cooldownHours: 4 },
  agents: {
    atlas: agent(
      'Strategy / coordinator',
      'Make the final entry and exit calls; balance aggression with protection; care about edge.',
      'direct, data-driven; always asks for the risk-reward',
      ['roundtable', 'analyze'],
      ['sage', 'growth'],
      '#4A90E2',
    ),
    sage: agent(
      'Risk manager',
      'Protect capital; push back; demand stop-losses.',
      'cautious, skeptical; cites probabilities and exposure',
      ['calculate_risk', 'analyze'],
      ['atlas', 'observer'],
      '#50E3C2',
    ),
    scout: agent(
      'Execution / market monitor',
      'Report fills, prices and slippage; no opinions.',
      'precise; exact prices and timestamps',
      ['execute_trade', 'monitor_position'],
      ['intel', 'observer'],
      '#F5A623',
    ),
    growth: agent(
      'Performance analyst',
      'Analyse outcomes, find patterns, turn data into insights.',
      'curious, optimisation-focused',
      ['analyze'],
      ['intel', 'atlas'],
      '#7ED321',
    ),
    intel: agent(
      'Research / signal scanner',
      'Find opportunities (momentum, whales, volume); filter noise.',
      'fast, proactive',
      ['analyze'],
      ['scout', 'growth'],
      '#BD10E0',
    ),
    observer: agent(
      'QA / system monitor',
      'Check that rules are followed; flag deviations.',
      'methodical, neutral',
      ['monitor_position'],
      ['sage', 'scout'],
      '#9B9B9B',
    ),
  },
  reaction_matrix: {
    rules: [
      {
        source: '*',
        tags: ['trade', 'big_loss'],
        target: 'sage',
        reactionType: 'diagnose',
        probability: 1,
        cooldownMinutes: 60,
      },
      {
        source: 'intel',
        tags: ['signal', 'high_confidence'],
        target: 'atlas',
        reactionType: 'evaluate',
        probability: 0.8,
        cooldownMinutes: 30,
      },
      {
        source: 'scout',
        tags: ['trade', 'executed'],
        target: 'growth',
        reactionType: 'analyze',
        probability: 0.3,
        cooldownMinutes: 120,
      },
      {
        source: 'sage',
        tags: ['risk', 'warning'],
        target: 'atlas',
        reactionType: 'review',
        probability: 1,
        cooldownMinutes: 15,
      },
      {
        source: 'growth',
        tags: ['insight', 'pattern'],
        target: 'atlas',
        reactionType: 'propose_strategy',
        probability: 0.6,
        cooldownMinutes: 180,
      },
      {
        source: 'observer',
        tags: ['error', 'rule_violation'],
        target: 'atlas',
        reactionType: 'alert',
        probability: 1,
        cooldownMinutes: 5,
      },
    ],
  },
  roundtable: {
    enabled: true,
    formats: [
      'morning_standup',
      'position_review',
      'post_mortem',
      'debate',
      'strategy_session',
      'watercooler',
      'trade_review',
    ],
    // The designed schedules (original-system.md §7), Pacific; the heartbeat's schedule_roundtables phase.
    timeZone: DEFAULT_ROUNDTABLE_TIME_ZONE,
    schedules: defaultRoundtableSchedules,
    debate: defaultDebatePolicy,
  },
  // intel's scan: the simulator's instruments. Sizes pass the default gates above: crypto auto-approves
  // (under 40 USD), options go to a trade review, futures risk 15 USD to the stop.
  // Options: the limit stays at 60 USD and the scan picks a contract that fits it (premium × 100 ≤ 50
  // USD: a next-trading-day contract 1–5 % out of the money), rather than raising the limit to fit
  // an at-the-money SPY contract (several hundred USD), which would make the options book ten times
  // the size of the others. The scan only trades a market while it is open (see the market calendar).
  signal_scan: {
    enabled: true,
    universe: {
      crypto: ['So11111111111111111111111111111111111111112', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN'],
      options: ['SPY', 'QQQ'],
      futures: ['MES', 'MNQ'],
    },
    quoteMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
    lookbackSamples: 10,
    minSamples: 5,
    momentumThreshold: 0.002,
    breakoutMargin: 0,
    volumeSpikeMultiple: 3,
    sampleRetentionMinutes: 240,
    notionalUsd: { crypto: '30', options: '50', futures: '15' },
    stopLossFraction: { crypto: 0.02, options: 0.3, futures: 0.0005 },
    rewardRiskRatio: 2,
    optionsOtmFractions: [0.01, 0.02, 0.03, 0.05],
  },
  position_management: { enabled: true, trailingStopFraction: 0.05 },
  pricing: {
    // Four heartbeats at the default 30 s interval: the marks of one missed run still price entries.
    maxPriceAgeSeconds: { crypto: 120, options: 120, futures: 120 },
    declaredNotionalTolerance: 0.1,
    // Futures risk-to-stop moves fast: a quarter-point on the scan's 2–3 point MES stops is already
    // 8–12 %, and a point passes between a heartbeat's admission and a busy worker's send. Half again
    // the admitted risk (at most 22.5 USD on the scan's 15 USD budget) stays far inside the 60 USD limit.
    sendNotionalTolerance: { crypto: 0.03, options: 0.1, futures: 0.5 },
    futuresExposure: 'risk_to_stop',
  },
  // LLM voices (used only when ANTHROPIC_API_KEY is set). List prices in USD per million tokens, as
  // published for these models; an operator updates them with `atc policy set llm`.
  llm: {
    pricing: {
      'claude-sonnet-5': { inputUsdPerMTok: '3', outputUsdPerMTok: '15' },
      'claude-sonnet-4-5': { inputUsdPerMTok: '3', outputUsdPerMTok: '15' },
      'claude-opus-4-6': { inputUsdPerMTok: '5', outputUsdPerMTok: '25' },
      'claude-haiku-4-5': { inputUsdPerMTok: '1', outputUsdPerMTok: '5' },
    },
    // About 200 turns of a few hundred tokens per agent and day; a dollar at most.
    budgets: {
      atlas: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
      sage: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
      scout: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
      growth: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
      intel: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
      observer: { dailyTokens: 200_000, dailyCostUsd: '1.00' },
    },
    warnAtFraction: 0.8,
  },
};

function agent(
  role: string,
  directive: string,
  tone: string,
  defaultStepKinds: StepKind[],
  preferredPartners: Agent[],
  color: string,
) {
  return { role, directive, tone, defaultStepKinds, preferredPartners, color };
}

/** The 15 undirected pairs and their initial affinities; low pairs are there to create debate. */
export const initialAffinities: readonly (readonly [Agent, Agent, string])[] = [
  ['atlas', 'sage', '0.80'],
  ['sage', 'observer', '0.80'],
  ['scout', 'intel', '0.75'],
  ['growth', 'intel', '0.70'],
  ['atlas', 'growth', '0.60'],
  ['atlas', 'scout', '0.60'],
  ['atlas', 'observer', '0.55'],
  ['sage', 'growth', '0.55'],
  ['sage', 'scout', '0.50'],
  ['scout', 'observer', '0.50'],
  ['scout', 'growth', '0.50'],
  ['growth', 'observer', '0.45'],
  ['intel', 'observer', '0.40'],
  ['atlas', 'intel', '0.35'],
  ['sage', 'intel', '0.30'],
];

export interface TriggerRuleSeed {
  readonly name: string;
  readonly kind: 'reactive' | 'proactive';
  readonly triggerEvent: string | null;
  readonly intervalMinutes: number | null;
  readonly conditions: Record<string, unknown>;
  readonly action: {
    targetAgent: Agent;
    stepKind: StepKind;
    titleTemplate: string;
    payload: Record<string, unknown>;
  };
  readonly cooldownMinutes: number;
}

const reactive = (
  name: string,
  triggerEvent: string,
  conditions: Record<string, unknown>,
  action: TriggerRuleSeed['action'],
  cooldownMinutes: number,
): TriggerRuleSeed => ({
  name,
  kind: 'reactive',
  triggerEvent,
  intervalMinutes: null,
  conditions,
  action,
  cooldownMinutes,
});

const proactive = (
  name: string,
  intervalMinutes: number,
  action: TriggerRuleSeed['action'],
): TriggerRuleSeed => ({
  name,
  kind: 'proactive',
  triggerEvent: null,
  intervalMinutes,
  conditions: {},
  action,
  cooldownMinutes: intervalMinutes,
});

/** Thresholds are fractions (0.5 = +50 %), the one unit everywhere. */
export const triggerRules: readonly TriggerRuleSeed[] = [
  reactive(
    'trade_big_win',
    'outcome_recorded',
    { pnlFraction: { $gt: 0.5 }, outcomeType: 'win' },
    {
      targetAgent: 'growth',
      stepKind: 'analyze',
      titleTemplate: 'Review big win on {{symbol}}',
      payload: { analysisType: 'success_pattern', focus: 'why_it_worked' },
    },
    60,
  ),
  reactive(
    'trade_big_loss',
    'outcome_recorded',
    { pnlFraction: { $lt: -0.3 }, outcomeType: 'loss' },
    {
      targetAgent: 'sage',
      stepKind: 'analyze',
      titleTemplate: 'Diagnose big loss on {{symbol}}',
      payload: { analysisType: 'failure_analysis' },
    },
    60,
  ),
  reactive(
    'position_at_risk',
    'position_marked',
    { unrealisedPnlFraction: { $lt: -0.2 }, status: 'open' },
    {
      targetAgent: 'atlas',
      stepKind: 'roundtable',
      titleTemplate: 'Position {{symbol}} at {{unrealisedPnlFraction}}: hold or cut?',
      payload: { format: 'position_review', participants: ['atlas', 'sage', 'scout'] },
    },
    30,
  ),
  reactive(
    'signal_high_confidence',
    'signal_detected',
    { confidence: { $gt: 0.8 } },
    {
      targetAgent: 'scout',
      stepKind: 'analyze',
      titleTemplate: 'Prepare execution plan for {{symbol}}',
      payload: { analysisType: 'prepare_execution_plan', urgency: 'high' },
    },
    15,
  ),
  reactive(
    'max_positions_reached',
    'position_changed',
    { openPositionCount: { $gte: 3 } },
    {
      targetAgent: 'observer',
      stepKind: 'analyze',
      titleTemplate: 'Flag exposure: {{openPositionCount}} open positions',
      payload: { analysisType: 'exposure_warning', nextAction: 'notify_sage' },
    },
    60,
  ),
  reactive(
    'stop_loss_hit',
    'outcome_recorded',
    { closeReason: 'stop_loss', outcomeType: 'loss' },
    {
      targetAgent: 'growth',
      stepKind: 'analyze',
      titleTemplate: 'Review entry timing on {{symbol}}',
      payload: { analysisType: 'entry_timing' },
    },
    30,
  ),
  proactive('proactive_scan_signals', 30, {
    targetAgent: 'intel',
    stepKind: 'analyze',
    titleTemplate: 'Scan for opportunities',
    payload: {
      analysisType: 'opportunity_scan',
      depth: 'quick',
      topics: ['top_gainers', 'KOL_activity', 'volume_spikes'],
    },
  }),
  proactive('proactive_review_positions', 120, {
    targetAgent: 'atlas',
    stepKind: 'roundtable',
    titleTemplate: 'Position review',
    payload: { format: 'position_review', participants: ['atlas', 'sage', 'scout', 'growth'] },
  }),
  proactive('proactive_risk_analysis', 240, {
    targetAgent: 'sage',
    stepKind: 'calculate_risk',
    titleTemplate: 'Portfolio risk analysis',
    payload: { scope: 'portfolio_risk', topics: ['exposure', 'correlation', 'drawdown'] },
  }),
  proactive('proactive_performance_review', 360, {
    targetAgent: 'growth',
    stepKind: 'analyze',
    titleTemplate: 'Performance review (24 h)',
    payload: {
      analysisType: 'trade_performance',
      window: 'recent_24h',
      topics: ['win_rate', 'avg_winner', 'avg_loser'],
    },
  }),
  proactive('proactive_market_research', 180, {
    targetAgent: 'intel',
    stepKind: 'analyze',
    titleTemplate: 'Market deep dive',
    payload: { analysisType: 'deep_dive', topics: ['fundamentals', 'social_sentiment', 'technicals'] },
  }),
  proactive('proactive_system_health', 480, {
    targetAgent: 'observer',
    stepKind: 'analyze',
    titleTemplate: 'System health check',
    payload: {
      analysisType: 'system_operations',
      topics: ['error_rate', 'execution_quality', 'rule_compliance'],
    },
  }),
];
