/**
 * The operator API's trading area: status, proposals, missions and steps, orders and fills with the
 * explain-every-order chain, positions and the daily P&L series. Request schemas are strict (unknown
 * keys refused); money and quantities are decimal strings, instants ISO-8601.
 * @module
 */
import { z } from 'zod';
import {
  Agent,
  Market,
  MissionStatus,
  OrderStatus,
  PriceSource,
  ProposalSource,
  ProposalStatus,
  RejectionReason,
  StepKind,
  StepStatus,
} from '../enums';
import { HaltsState } from '../policies';
import { ProposalInput } from '../proposals';
import { IsoInstant, PageQuery, pageOf } from './api-common';
import { HeartbeatRunItem } from './heartbeat-runs';

/** A decimal as PostgreSQL `numeric` prints it ("0.5", "-12.25"); never a JSON number. */
const Amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string');
const Uuid = z.uuid();
/** A calendar day, YYYY-MM-DD. */
export const CalendarDay = z.iso.date();

// ── status ──────────────────────────────────────────────────────────────────────────────────────

export const StatusResponse = z.object({
  asOf: IsoInstant,
  markets: z.array(
    z.object({
      market: Market,
      open: z.boolean(),
      reason: z.string().optional(),
      holiday: z.string().optional(),
      session: z.string(),
    }),
  ),
  positions: z.array(
    z.object({
      market: Market,
      symbol: z.string(),
      side: z.enum(['long', 'short']),
      quantity: Amount,
      averagePrice: Amount,
      markPrice: Amount.nullable(),
      markedAt: IsoInstant.nullable(),
      unrealisedPnl: Amount.nullable(),
      openedAt: IsoInstant,
    }),
  ),
  pnl: z.object({
    tradingDay: z.string(),
    timeZone: z.string(),
    realisedToday: Amount,
    realisedTodayByMarket: z.record(z.string(), Amount),
    unrealised: Amount,
    unmarkedPositions: z.number().int(),
  }),
  queue: z.array(z.object({ market: Market.nullable(), status: StepStatus, count: z.number().int() })),
  heartbeat: z.object({ lastRun: HeartbeatRunItem.nullable() }),
  breakers: z.array(
    z.object({
      venue: z.string(),
      reporter: z.string(),
      state: z.enum(['closed', 'half_open', 'open']),
      reportedAt: IsoInstant,
    }),
  ),
  halts: HaltsState,
  reconciliation: z.object({ count: z.number().int(), oldestAgeSeconds: z.number().int().nullable() }),
  /** The workers holding a step lease now. */
  workers: z.array(
    z.object({
      worker: z.string(),
      markets: z.array(z.string()),
      steps: z.number().int(),
      leaseExpiresAt: IsoInstant,
    }),
  ),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

// ── proposals ───────────────────────────────────────────────────────────────────────────────────

export const IdParams = z.object({ id: Uuid }).strict();

export const ProposalListQuery = PageQuery.extend({
  status: ProposalStatus.optional(),
  market: Market.optional(),
  agent: Agent.optional(),
  /** Created at or after. */
  from: IsoInstant.optional(),
  /** Created before. */
  to: IsoInstant.optional(),
}).strict();
export type ProposalListQuery = z.infer<typeof ProposalListQuery>;

export const ProposalItem = z.object({
  id: Uuid,
  source: ProposalSource,
  sourceTraceId: z.string(),
  agent: Agent,
  title: z.string(),
  confidence: Amount,
  contentHash: z.string(),
  status: ProposalStatus,
  reasonCode: RejectionReason.nullable(),
  reasonMessage: z.string().nullable(),
  policyVersion: z.number().int().nullable(),
  expiresAt: IsoInstant.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: IsoInstant.nullable(),
  createdAt: IsoInstant,
  missionId: Uuid.nullable(),
});
export const ProposalPage = pageOf(ProposalItem);
export type ProposalPage = z.infer<typeof ProposalPage>;

/** One decision the gates (or an approver) took on the proposal, from its `proposal_decided` event. */
export const GateResult = z.object({
  at: IsoInstant,
  status: ProposalStatus,
  reasonCode: RejectionReason.nullable(),
  reasonMessage: z.string().nullable(),
  policyVersion: z.number().int().nullable(),
  decidedBy: z.string(),
});

/** An entry as the risk gates priced and admitted it (`atc proposal explain`). */
export const PricedAdmission = z.object({
  stepSeq: z.number().int(),
  market: Market,
  instrument: z.string(),
  quantity: Amount,
  multiplier: Amount,
  price: Amount,
  notionalUsd: Amount,
  priceSource: PriceSource,
  pricedAt: IsoInstant,
});

export const OrderPricing = z.object({
  stepSeq: z.number().int(),
  clientOrderId: z.string(),
  status: z.string(),
  symbol: z.string(),
  side: z.string(),
  quantity: Amount,
  admittedNotionalUsd: Amount.nullable(),
  priceSource: PriceSource.nullable(),
  pricedAt: IsoInstant.nullable(),
  sendPrice: Amount.nullable(),
  sendNotionalUsd: Amount.nullable(),
});

export const ReviewVote = z.object({
  at: IsoInstant,
  conversationId: Uuid,
  agent: Agent,
  vote: z.enum(['approve', 'reject', 'abstain']),
  reason: z.string(),
});

export const ProposalDetail = ProposalItem.extend({
  content: ProposalInput,
  gateResults: z.array(GateResult),
  admissions: z.array(PricedAdmission),
  orders: z.array(OrderPricing),
  votes: z.array(ReviewVote),
});
export type ProposalDetail = z.infer<typeof ProposalDetail>;

export const ProposalDecisionResponse = z.object({
  proposalId: Uuid,
  status: ProposalStatus,
  reasonCode: RejectionReason.nullable(),
  reasonMessage: z.string().nullable(),
  policyVersion: z.number().int().nullable(),
  missionId: Uuid.nullable(),
  replayed: z.boolean(),
});

/** Approve: the content hash the approver reviewed (a stale one → 409). */
export const ApproveProposalBody = z.object({ contentHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const RejectProposalBody = ApproveProposalBody.extend({
  reason: z.string().trim().min(1).max(500),
}).strict();

// ── missions and steps ──────────────────────────────────────────────────────────────────────────

export const MissionListQuery = PageQuery.extend({
  status: MissionStatus.optional(),
  market: Market.optional(),
}).strict();
export type MissionListQuery = z.infer<typeof MissionListQuery>;

export const MissionItem = z.object({
  id: Uuid,
  proposalId: Uuid,
  title: z.string(),
  status: MissionStatus,
  markets: z.array(Market),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  finishedAt: IsoInstant.nullable(),
});
export const MissionPage = pageOf(MissionItem);

export const StepItem = z.object({
  id: Uuid,
  seq: z.number().int(),
  kind: StepKind,
  market: Market.nullable(),
  status: StepStatus,
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: IsoInstant.nullable(),
  lastError: z.string().nullable(),
  runAfter: IsoInstant,
  startedAt: IsoInstant.nullable(),
  finishedAt: IsoInstant.nullable(),
  payload: z.unknown(),
  result: z.unknown(),
});

export const MissionDetail = MissionItem.extend({ steps: z.array(StepItem) });

// ── orders, fills and the explain chain ─────────────────────────────────────────────────────────

export const OrderListQuery = PageQuery.extend({
  market: Market.optional(),
  status: OrderStatus.optional(),
}).strict();
export type OrderListQuery = z.infer<typeof OrderListQuery>;

export const ClientOrderIdParams = z
  .object({
    clientOrderId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a client order id (letters, digits, dashes)'),
  })
  .strict();

export const OrderItem = z.object({
  id: Uuid,
  clientOrderId: z.string(),
  stepId: Uuid,
  attempt: z.number().int(),
  market: Market,
  symbol: z.string(),
  side: z.string(),
  orderType: z.string(),
  quantity: Amount,
  limitPrice: Amount.nullable(),
  multiplier: Amount,
  status: OrderStatus,
  venueOrderId: z.string().nullable(),
  filledQuantity: Amount,
  averageFillPrice: Amount.nullable(),
  lastError: z.string().nullable(),
  admittedNotionalUsd: Amount.nullable(),
  priceSource: PriceSource.nullable(),
  pricedAt: IsoInstant.nullable(),
  sendPrice: Amount.nullable(),
  sendNotionalUsd: Amount.nullable(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export const OrderPage = pageOf(OrderItem);

export const FillItem = z.object({
  id: Uuid,
  venueFillId: z.string(),
  positionId: Uuid.nullable(),
  side: z.string(),
  quantity: Amount,
  price: Amount,
  fee: Amount,
  realisedPnl: Amount,
  filledAt: IsoInstant,
});

export const OrderDetail = OrderItem.extend({ intent: z.unknown(), fills: z.array(FillItem) });

export const PositionState = z.enum(['open', 'closed']);

export const PositionItem = z.object({
  id: Uuid,
  market: Market,
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  status: PositionState,
  quantity: Amount,
  averagePrice: Amount,
  multiplier: Amount,
  realisedPnl: Amount,
  markPrice: Amount.nullable(),
  markedAt: IsoInstant.nullable(),
  unrealisedPnl: Amount.nullable(),
  stopLoss: Amount.nullable(),
  takeProfit: Amount.nullable(),
  openedAt: IsoInstant,
  closedAt: IsoInstant.nullable(),
});

export const OutcomeItem = z.object({
  id: Uuid,
  outcomeType: z.enum(['win', 'loss', 'breakeven']),
  quantity: Amount,
  entryPrice: Amount,
  exitPrice: Amount,
  realisedPnl: Amount,
  pnlFraction: Amount,
  holdSeconds: z.number().int(),
  closedAt: IsoInstant,
});

/**
 * Why an order exists and what became of it: signal → proposal → gates → approval → mission → step →
 * intent → venue order → fills → position → outcome. A link not reached yet is null (an order not
 * yet accepted has no venue order; an open position no outcome).
 */
export const OrderExplanation = z.object({
  signal: z.object({ source: ProposalSource, sourceTraceId: z.string(), agent: Agent }),
  proposal: ProposalItem,
  gates: z.object({ results: z.array(GateResult), admissions: z.array(PricedAdmission) }),
  approval: z.object({ status: ProposalStatus, decidedBy: z.string(), decidedAt: IsoInstant }).nullable(),
  mission: MissionItem,
  step: StepItem,
  intent: z.object({
    clientOrderId: z.string(),
    attempt: z.number().int(),
    createdAt: IsoInstant,
    request: z.unknown(),
    admittedNotionalUsd: Amount.nullable(),
    sendPrice: Amount.nullable(),
  }),
  venueOrder: z
    .object({
      venueOrderId: z.string(),
      status: OrderStatus,
      filledQuantity: Amount,
      averageFillPrice: Amount.nullable(),
    })
    .nullable(),
  fills: z.array(FillItem),
  position: PositionItem.nullable(),
  outcome: OutcomeItem.nullable(),
});
export type OrderExplanation = z.infer<typeof OrderExplanation>;

// ── positions and P&L ───────────────────────────────────────────────────────────────────────────

export const PositionListQuery = PageQuery.extend({
  state: PositionState.default('open'),
  market: Market.optional(),
}).strict();
export type PositionListQuery = z.infer<typeof PositionListQuery>;
export const PositionPage = pageOf(PositionItem);

export const DailyPnlQuery = z
  .object({ from: CalendarDay.optional(), to: CalendarDay.optional(), market: Market.optional() })
  .strict();
export type DailyPnlQuery = z.infer<typeof DailyPnlQuery>;

export const DailyPnlResponse = z.object({
  timeZone: z.string(),
  from: CalendarDay,
  to: CalendarDay,
  days: z.array(z.object({ day: CalendarDay, realisedPnl: Amount, byMarket: z.record(z.string(), Amount) })),
});
export type DailyPnlResponse = z.infer<typeof DailyPnlResponse>;

/** `GET /api/pnl/equity`: the last `days` days to today (366 at most), optionally of one market. */
export const EquityCurveQuery = z
  .object({ days: z.coerce.number().int().min(1).max(366).default(30), market: Market.optional() })
  .strict();
export type EquityCurveQuery = z.infer<typeof EquityCurveQuery>;

/**
 * Cumulative P&L at each day's end: every fill's realised P&L to that day, and on the last day (today)
 * the open positions' unrealised P&L at their marks. P&L since the first fill (no starting capital).
 */
export const EquityCurveResponse = z.object({
  timeZone: z.string(),
  from: CalendarDay,
  to: CalendarDay,
  realisedBefore: Amount,
  unrealisedPnl: Amount,
  unmarkedPositions: z.number().int(),
  days: z.array(
    z.object({ day: CalendarDay, realisedPnl: Amount, cumulativeRealisedPnl: Amount, equity: Amount }),
  ),
});
export type EquityCurveResponse = z.infer<typeof EquityCurveResponse>;
