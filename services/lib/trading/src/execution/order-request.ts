import Decimal from 'decimal.js';
import { PermanentError, type Queryable } from '@atc/platform';
import {
  ClosePositionStep,
  ExecuteTradeStep,
  tradeSymbol,
  type Market,
  type OrderSide,
  type TradePayload,
} from '@atc/contracts';
import { selectOpenPosition } from '../ledger.queries';
import type { ExecutionOrderType } from './execution-venue';

/** Futures point values: the USD value of one point of one contract. */
export const FUTURES_POINT_VALUE: Readonly<Record<string, string>> = {
  MES: '5',
  MNQ: '2',
  ES: '50',
  NQ: '20',
};

/** What a trade step will ask the venue for, before the client order id is known. */
export interface PlannedOrder {
  readonly market: Market;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: ExecutionOrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly multiplier: string;
  /** Only reduces an existing position: allowed through the loss latch (and halts, if policy says so). */
  readonly reducing: boolean;
  /** The entry's estimated size, for the exposure re-check; zero for reductions. */
  readonly notionalUsd: string;
  readonly slippageBps?: number;
}

function planEntry(trade: TradePayload): PlannedOrder {
  const base = {
    market: trade.market,
    symbol: tradeSymbol(trade),
    reducing: false,
    notionalUsd: trade.notionalUsd,
  };
  switch (trade.market) {
    case 'crypto': {
      // The ledger counts the traded token. A sell spends `amount` of it; a buy spends `amount` of the
      // quote token, i.e. about amount / price of the traded one (the fill says exactly how much).
      const quantity =
        trade.side === 'sell'
          ? trade.amount
          : new Decimal(trade.amount)
              .dividedBy(trade.referencePrice ?? '1')
              .toDecimalPlaces(9)
              .toFixed();
      return {
        ...base,
        side: trade.side,
        orderType: 'market',
        quantity,
        limitPrice: null,
        multiplier: '1',
        slippageBps: Math.round((trade.slippageFraction ?? 0.005) * 10_000),
      };
    }
    case 'options':
      return {
        ...base,
        side: trade.side === 'buy_to_open' ? 'buy' : 'sell',
        orderType: trade.orderType,
        quantity: String(trade.quantity),
        limitPrice: trade.limitPrice ?? null,
        multiplier: '100',
      };
    case 'futures': {
      const multiplier = FUTURES_POINT_VALUE[trade.rootSymbol];
      if (!multiplier) throw new PermanentError(`unknown futures root ${trade.rootSymbol}`);
      return {
        ...base,
        side: trade.side,
        orderType: 'market',
        quantity: String(trade.contracts),
        limitPrice: null,
        multiplier,
      };
    }
  }
}

/** Reads the step's payload (validated again: stored data is input too) and plans its order. */
export async function planOrder(db: Queryable, kind: string, payload: unknown): Promise<PlannedOrder> {
  if (kind === 'execute_trade') {
    const parsed = ExecuteTradeStep.safeParse(payload);
    if (!parsed.success)
      throw new PermanentError(`execute_trade payload is invalid: ${parsed.error.message}`);
    return planEntry(parsed.data.trade);
  }
  if (kind === 'close_position') {
    const parsed = ClosePositionStep.safeParse(payload);
    if (!parsed.success)
      throw new PermanentError(`close_position payload is invalid: ${parsed.error.message}`);
    const step = parsed.data;
    const position = await selectOpenPosition(db, step.market, step.symbol);
    if (!position) throw new PermanentError(`no open ${step.market} position in ${step.symbol} to close`);
    const quantity = Decimal.min(position.quantity, step.quantity ?? position.quantity);
    return {
      market: step.market,
      symbol: step.symbol,
      side: position.side === 'long' ? 'sell' : 'buy',
      orderType: 'market',
      quantity: quantity.toFixed(),
      limitPrice: null,
      multiplier: position.multiplier,
      reducing: true,
      notionalUsd: '0',
    };
  }
  throw new PermanentError(`step kind ${kind} does not trade`);
}
