/**
 * Position management (README.md): which marked positions must be closed, and why. Pure.
 * - stop_loss: a long marked at or below its stop, a short at or above it;
 * - take_profit: a long at or above its target, a short at or below it;
 * - trailing_stop: once the best mark since entry is beyond the entry (in profit), the mark gave
 *   back `trailingStopFraction` of that best price. Off when the fraction is 0.
 * The stop-loss wins when several apply (it is the one that protects capital).
 * @module
 */
import Decimal from 'decimal.js';
import type { MarkedRow } from './position-marks.queries';

export type ExitReason = 'stop_loss' | 'take_profit' | 'trailing_stop';

export interface ExitSignal {
  readonly position: MarkedRow;
  readonly reason: ExitReason;
  /** The level that was crossed. */
  readonly level: string;
}

export function exitFor(position: MarkedRow, trailingStopFraction: number): ExitSignal | null {
  const long = position.side === 'long';
  const mark = new Decimal(position.mark);
  const beyond = (level: Decimal, adverse: boolean) =>
    (long ? 1 : -1) * (adverse ? -1 : 1) * mark.comparedTo(level) >= 0;
  if (position.stopLoss !== null && beyond(new Decimal(position.stopLoss), true)) {
    return { position, reason: 'stop_loss', level: position.stopLoss };
  }
  if (position.takeProfit !== null && beyond(new Decimal(position.takeProfit), false)) {
    return { position, reason: 'take_profit', level: position.takeProfit };
  }
  if (trailingStopFraction > 0) {
    const best = new Decimal(position.highWater);
    const inProfit = long ? best.gt(position.averagePrice) : best.lt(position.averagePrice);
    const trail = best.times(long ? 1 - trailingStopFraction : 1 + trailingStopFraction);
    if (inProfit && beyond(trail, true)) {
      return { position, reason: 'trailing_stop', level: trail.toSignificantDigits(12).toFixed() };
    }
  }
  return null;
}
