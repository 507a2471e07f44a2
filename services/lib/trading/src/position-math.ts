/**
 * Exact position arithmetic (never binary floats).
 * @module
 */
import Decimal from 'decimal.js';
import type { OrderSide, OutcomeType, PositionSide } from '@atc/contracts';

/**
 * A private Decimal with 40 significant digits:
 * averages divide, and the library's default 20 digits would round prices of small tokens.
 */
export const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Exact = Decimal;

/** Stored prices keep 18 decimals, like the decimal strings of the contracts. */
const PRICE_PLACES = 18;

export interface PositionState {
  readonly side: PositionSide;
  readonly quantity: Exact;
  readonly averagePrice: Exact;
  readonly multiplier: Exact;
  readonly realisedPnl: Exact;
  readonly entryQuantity: Exact;
  readonly entryNotional: Exact;
  readonly exitQuantity: Exact;
  readonly exitNotional: Exact;
}

export interface FillInput {
  readonly side: OrderSide;
  readonly quantity: Exact;
  readonly price: Exact;
  readonly fee: Exact;
}

export interface FillEffect {
  /** P&L this fill realised, net of its fee. */
  readonly realised: Exact;
  /** The position the fill netted into, after it; quantity 0 means it closed. */
  readonly position: PositionState;
  readonly closed: boolean;
  /** When a fill is larger than the position it closes, the rest opens the opposite side. */
  readonly reversed: PositionState | null;
}

const ZERO = new Exact(0);

function opened(fill: FillInput, quantity: Exact, multiplier: Exact, fee: Exact): PositionState {
  return {
    side: fill.side === 'buy' ? 'long' : 'short',
    quantity,
    averagePrice: fill.price,
    multiplier,
    realisedPnl: fee.neg(),
    entryQuantity: quantity,
    entryNotional: quantity.times(fill.price),
    exitQuantity: ZERO,
    exitNotional: ZERO,
  };
}

/** Nets one fill into the open position of its instrument (or opens one): long, short, scale-in, partial, close, reverse. */
export function applyFillToPosition(
  current: PositionState | null,
  fill: FillInput,
  multiplier: Exact,
): FillEffect {
  if (current === null || current.quantity.isZero()) {
    const position = opened(fill, fill.quantity, multiplier, fill.fee);
    return { realised: fill.fee.neg(), position, closed: false, reversed: null };
  }
  const adds = (current.side === 'long') === (fill.side === 'buy');
  if (adds) {
    const quantity = current.quantity.plus(fill.quantity);
    const averagePrice = current.quantity
      .times(current.averagePrice)
      .plus(fill.quantity.times(fill.price))
      .dividedBy(quantity)
      .toDecimalPlaces(PRICE_PLACES);
    const position: PositionState = {
      ...current,
      quantity,
      averagePrice,
      realisedPnl: current.realisedPnl.minus(fill.fee),
      entryQuantity: current.entryQuantity.plus(fill.quantity),
      entryNotional: current.entryNotional.plus(fill.quantity.times(fill.price)),
    };
    return { realised: fill.fee.neg(), position, closed: false, reversed: null };
  }
  const closing = Exact.min(current.quantity, fill.quantity);
  const direction = current.side === 'long' ? 1 : -1;
  const gross = fill.price
    .minus(current.averagePrice)
    .times(closing)
    .times(current.multiplier)
    .times(direction);
  const realised = gross.minus(fill.fee);
  const position: PositionState = {
    ...current,
    quantity: current.quantity.minus(closing),
    realisedPnl: current.realisedPnl.plus(realised),
    exitQuantity: current.exitQuantity.plus(closing),
    exitNotional: current.exitNotional.plus(closing.times(fill.price)),
  };
  const rest = fill.quantity.minus(closing);
  const reversed = rest.gt(0) ? opened(fill, rest, multiplier, ZERO) : null;
  return { realised, position, closed: position.quantity.isZero(), reversed };
}

export interface OutcomeFigures {
  readonly quantity: Exact;
  readonly entryPrice: Exact;
  readonly exitPrice: Exact;
  readonly realisedPnl: Exact;
  /** Realised P&L over the cost of the entries, as a fraction. */
  readonly pnlFraction: Exact;
  readonly outcomeType: OutcomeType;
}

/** The outcome of a position that just closed. */
export function outcomeOf(position: PositionState): OutcomeFigures {
  const cost = position.entryNotional.times(position.multiplier);
  const pnl = position.realisedPnl;
  return {
    quantity: position.entryQuantity,
    entryPrice: position.entryNotional.dividedBy(position.entryQuantity).toDecimalPlaces(PRICE_PLACES),
    exitPrice: position.exitNotional.dividedBy(position.exitQuantity).toDecimalPlaces(PRICE_PLACES),
    realisedPnl: pnl,
    pnlFraction: cost.isZero() ? ZERO : pnl.dividedBy(cost).toDecimalPlaces(PRICE_PLACES),
    outcomeType: pnl.gt(0) ? 'win' : pnl.lt(0) ? 'loss' : 'breakeven',
  };
}
