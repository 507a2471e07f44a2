/**
 * What an `execute_trade` step asks a venue to do, one shape per market. Size fields have one unit
 * each, stated on the field: crypto `amount` in units of the input token, options `quantity` in
 * contracts (100 shares each), futures `contracts` in whole contracts. Prices are USD per unit of
 * the instrument (per token, per share of premium, per index point).
 *
 * The risk engine prices every entry itself (design §5, invariant 10): from a venue quote taken for
 * the decision or the latest mark, never from a number in the proposal. `notionalUsd` is only the
 * proposer's cross-check: when given, it must agree with the engine's exposure within
 * `pricing.declaredNotionalTolerance`, or the proposal is rejected (`declared_notional_mismatch`).
 * @module
 */
import { z } from 'zod';
import { PositiveDecimal } from './money';
import { ConversationFormat, Agent, Market, OrderType, type StepKind } from './enums';

const tradeRisk = {
  /** Optional cross-check, USD: the exposure the proposer expects (see the market's exposure rule). */
  notionalUsd: PositiveDecimal.optional(),
  /** Informational only (USD per unit): the price the proposer saw. Never used to size or judge. */
  referencePrice: PositiveDecimal.optional(),
  /** USD per unit of the instrument (per token, per share of premium, per index point). */
  stopLoss: PositiveDecimal.optional(),
  takeProfit: PositiveDecimal.optional(),
};

/**
 * A Solana swap through Jupiter: spend `amount` of `inputMint` for `outputMint`. Exposure (USD) =
 * `amount` × the input token's USD price. The order sent is in units of the traded token (the output
 * of a buy, the input of a sell): a buy's quantity is that exposure ÷ the output token's price.
 */
export const CryptoTrade = z
  .object({
    market: z.literal('crypto'),
    inputMint: z.string().min(32).max(44),
    outputMint: z.string().min(32).max(44),
    side: z.enum(['buy', 'sell']),
    /** Units of the input token (`inputMint`) to spend, e.g. "20" USDC; never USD, never the output. */
    amount: PositiveDecimal,
    slippageFraction: z.number().min(0).max(0.2).optional(),
    ...tradeRisk,
  })
  .strict()
  .refine((t) => t.inputMint !== t.outputMint, {
    message: 'inputMint and outputMint must differ',
    path: ['outputMint'],
  });
export type CryptoTrade = z.infer<typeof CryptoTrade>;

/**
 * Single-leg equity options through Tradier; opening orders only (closing is a close_position step).
 * Exposure (USD) = premium (the ask for a buy, the bid for a sell) × 100 × `quantity`.
 */
export const OptionsTrade = z
  .object({
    market: z.literal('options'),
    underlying: z.string().regex(/^[A-Z.]{1,6}$/, 'must be an uppercase ticker'),
    /** OCC symbol: root, YYMMDD, C/P, strike × 1000 in 8 digits, e.g. SPY240621C00500000. */
    occSymbol: z.string().regex(/^[A-Z.]{1,6}\d{6}[CP]\d{8}$/, 'must be an OCC option symbol'),
    side: z.enum(['buy_to_open', 'sell_to_open']),
    /** Contracts (each 100 shares of the underlying). */
    quantity: z.number().int().min(1).max(1000),
    orderType: OrderType,
    /** USD per share of premium (a contract costs 100 × this). */
    limitPrice: PositiveDecimal.optional(),
    ...tradeRisk,
  })
  .strict()
  .refine((t) => t.orderType !== 'limit' || t.limitPrice !== undefined, {
    message: 'limitPrice is required for a limit order',
    path: ['limitPrice'],
  })
  .refine((t) => t.occSymbol.startsWith(t.underlying.replace('.', '')), {
    message: 'occSymbol must start with the underlying',
    path: ['occSymbol'],
  });
export type OptionsTrade = z.infer<typeof OptionsTrade>;

export const FuturesBracket = z
  .object({
    stopLoss: PositiveDecimal,
    takeProfit: PositiveDecimal.optional(),
  })
  .strict();

/**
 * Futures through the Nebula relay / ProjectX: a root symbol such as MES, whole contracts. Exposure
 * (USD) is what `pricing.futuresExposure` names: `notional` = point value × `contracts` × price, or
 * `risk_to_stop` = point value × `contracts` × |price − stop| (the stop is then required).
 */
export const FuturesTrade = z
  .object({
    market: z.literal('futures'),
    rootSymbol: z.string().regex(/^[A-Z0-9]{1,5}$/, 'must be a root symbol such as MES'),
    side: z.enum(['buy', 'sell']),
    /** Whole contracts. */
    contracts: z.number().int().min(1).max(100),
    bracket: FuturesBracket.optional(),
    ...tradeRisk,
  })
  .strict();
export type FuturesTrade = z.infer<typeof FuturesTrade>;

export const TradePayload = z.discriminatedUnion('market', [CryptoTrade, OptionsTrade, FuturesTrade]);
export type TradePayload = z.infer<typeof TradePayload>;

/** The instrument a trade opens a position in (the ledger's `symbol`). */
export function tradeSymbol(trade: TradePayload): string {
  switch (trade.market) {
    case 'crypto':
      return trade.side === 'buy' ? trade.outputMint : trade.inputMint;
    case 'options':
      return trade.occSymbol;
    case 'futures':
      return trade.rootSymbol;
  }
}

/** The stop-loss a trade carries, wherever its market keeps it. */
export function tradeStopLoss(trade: TradePayload): string | undefined {
  if (trade.market === 'futures') return trade.bracket?.stopLoss ?? trade.stopLoss;
  return trade.stopLoss;
}

/** Steps of a proposal. The market is explicit on every step that touches a venue. */
export const ExecuteTradeStep = z
  .object({ kind: z.literal('execute_trade'), market: Market, trade: TradePayload })
  .strict()
  .refine((s) => s.market === s.trade.market, {
    message: 'must equal trade.market',
    path: ['market'],
  });

export const ClosePositionStep = z
  .object({
    kind: z.literal('close_position'),
    market: Market,
    symbol: z.string().min(1).max(64),
    /**
     * Part of the position to close, in the position's own unit (tokens, option contracts, futures
     * contracts); the whole position when absent.
     */
    quantity: PositiveDecimal.optional(),
    reason: z.string().min(1).max(200),
  })
  .strict();

export const MonitorPositionStep = z
  .object({
    kind: z.literal('monitor_position'),
    market: Market,
    symbol: z.string().min(1).max(64),
    stopLoss: PositiveDecimal.optional(),
    takeProfit: PositiveDecimal.optional(),
  })
  .strict();

export const AnalyzeStep = z
  .object({
    kind: z.literal('analyze'),
    market: Market.optional(),
    topic: z.string().min(1).max(500),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const CalculateRiskStep = z
  .object({
    kind: z.literal('calculate_risk'),
    market: Market.optional(),
    scope: z.string().min(1).max(200),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const RoundtableStep = z
  .object({
    kind: z.literal('roundtable'),
    format: ConversationFormat,
    participants: z.array(Agent).min(2).max(6),
    topic: z.string().min(1).max(500),
  })
  .strict();

export const ProposedStep = z.discriminatedUnion('kind', [
  ExecuteTradeStep,
  ClosePositionStep,
  MonitorPositionStep,
  AnalyzeStep,
  CalculateRiskStep,
  RoundtableStep,
]);
export type ProposedStep = z.infer<typeof ProposedStep>;

/** Fails to compile when a step kind has no step schema (or the union names an unknown kind). */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const stepUnionCoversEveryKind: Exact<ProposedStep['kind'], StepKind> = true;
