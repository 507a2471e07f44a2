/**
 * The exposure of an open position, measured the way the entry that opened it was admitted
 * (design §5, invariant 10), so that the total-exposure cap compares like with like:
 * - crypto and options: at cost, |quantity| × average price × multiplier.
 * - futures under `risk_to_stop`: point value (the position's multiplier) × contracts ×
 *   |current price − stop_loss|; a position without a stop counts at notional (conservative).
 * - futures under `notional`: point value × contracts × current price.
 * The current price of a futures position is its mark when the mark is no older than the policy's
 * futures price age at `asOf`, else its average price. Pure: the caller reads the rows and the clock.
 * @module
 */
import Decimal from 'decimal.js';
import type { Market } from '@atc/contracts';
import { futuresExposure, type PricingPolicy } from './entry-pricing';

export type ExposureBasis = 'cost' | 'risk_to_stop' | 'notional' | 'notional_no_stop';

export interface OpenPositionFigures {
  readonly market: Market;
  readonly symbol: string;
  readonly quantity: string;
  readonly averagePrice: string;
  readonly multiplier: string;
  readonly stopLoss: string | null;
  readonly markPrice: string | null;
  readonly markedAt: Date | null;
}

export interface OpenPositionExposure {
  readonly market: Market;
  readonly symbol: string;
  readonly exposureUsd: string;
  readonly basis: ExposureBasis;
}

export type ExposurePolicy = Pick<PricingPolicy, 'futuresExposure' | 'maxPriceAgeSeconds'>;

/** The futures position's current price: a fresh mark, else the average price. */
export function currentPrice(position: OpenPositionFigures, policy: ExposurePolicy, asOf: Date): string {
  const { markPrice, markedAt } = position;
  if (markPrice === null || markedAt === null) return position.averagePrice;
  const maxAgeMs = policy.maxPriceAgeSeconds.futures * 1000;
  return Math.abs(asOf.getTime() - markedAt.getTime()) <= maxAgeMs ? markPrice : position.averagePrice;
}

export function openPositionExposure(
  position: OpenPositionFigures,
  policy: ExposurePolicy,
  asOf: Date,
): OpenPositionExposure {
  const { market, symbol } = position;
  if (market !== 'futures') {
    const cost = new Decimal(position.quantity).times(position.averagePrice).times(position.multiplier);
    return { market, symbol, exposureUsd: cost.toFixed(), basis: 'cost' };
  }
  const order = {
    pointValue: position.multiplier,
    contracts: position.quantity,
    price: currentPrice(position, policy, asOf),
    stop: position.stopLoss ?? undefined,
  };
  const measured = futuresExposure(policy, order);
  if (measured !== undefined) {
    return { market, symbol, exposureUsd: measured.toFixed(), basis: policy.futuresExposure };
  }
  // risk_to_stop without a stop: nothing bounds the loss, so the position counts at its face value.
  const notional = futuresExposure({ futuresExposure: 'notional' }, order)!;
  return { market, symbol, exposureUsd: notional.toFixed(), basis: 'notional_no_stop' };
}
