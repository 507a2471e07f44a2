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
import { selectStepAdmission, type EntryAdmission } from '../entry-pricing.queries';
import type { ExecutionOrderType } from './execution-venue';

/** Futures point values live with the pricing; re-exported for the heartbeat's sizing. */
export { FUTURES_POINT_VALUE } from '../entry-pricing';

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
  /** What the gates admitted for an entry (exact quantity, exposure, price); none for reductions. */
  readonly admission: EntryAdmission | null;
  /** The entry's trade (stop-loss for futures risk), for pricing again at send time. */
  readonly trade: TradePayload | null;
  readonly slippageBps?: number;
}

/**
 * The order the gates admitted, exactly: its quantity comes from the admission (design §5, invariant
 * 10), never from the payload's numbers. A step without an admission is refused, not guessed at.
 */
function planEntry(trade: TradePayload, admission: EntryAdmission | undefined): PlannedOrder {
  if (!admission) {
    throw new PermanentError(
      'this entry has no admission from the risk gates (no priced order to send); it is not sent',
    );
  }
  const symbol = tradeSymbol(trade);
  if (admission.market !== trade.market || admission.instrument !== symbol) {
    throw new PermanentError(
      `the admission prices ${admission.market} ${admission.instrument}, not this step's ${trade.market} ${symbol}`,
    );
  }
  const base = {
    market: trade.market,
    symbol,
    reducing: false,
    quantity: admission.quantity,
    multiplier: admission.multiplier,
    admission,
    trade,
  };
  switch (trade.market) {
    case 'crypto':
      return {
        ...base,
        side: trade.side,
        orderType: 'market',
        limitPrice: null,
        slippageBps: Math.round((trade.slippageFraction ?? 0.005) * 10_000),
      };
    case 'options':
      return {
        ...base,
        side: trade.side === 'buy_to_open' ? 'buy' : 'sell',
        orderType: trade.orderType,
        limitPrice: trade.limitPrice ?? null,
      };
    case 'futures':
      return { ...base, side: trade.side, orderType: 'market', limitPrice: null };
  }
}

/** Reads the step's payload (validated again: stored data is input too) and plans its order. */
export async function planOrder(
  db: Queryable,
  step: { readonly id: string; readonly kind: string; readonly payload: unknown },
): Promise<PlannedOrder> {
  const { kind, payload } = step;
  if (kind === 'execute_trade') {
    const parsed = ExecuteTradeStep.safeParse(payload);
    if (!parsed.success)
      throw new PermanentError(`execute_trade payload is invalid: ${parsed.error.message}`);
    return planEntry(parsed.data.trade, await selectStepAdmission(db, step.id));
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
      admission: null,
      trade: null,
    };
  }
  throw new PermanentError(`step kind ${kind} does not trade`);
}
