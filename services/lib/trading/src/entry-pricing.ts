/**
 * The risk engine's own price for every entry (design §5, invariant 10). Pure: the caller supplies
 * the prices it found (venue quotes taken for the decision, the latest marks); this module picks a
 * fresh one per instrument, computes the exact order that will be sent and its USD exposure, and
 * cross-checks a declared notional. Nothing here reads a clock: ages are measured against `asOf`.
 *
 * Exposure, per market (the unit of every size field is documented in @atc/contracts):
 * - crypto: `amount` (input-token units) × the input token's USD price. The order is in units of the
 *   traded token: a sell's quantity is `amount`; a buy's is the exposure ÷ the output token's price.
 * - options: premium × 100 × contracts (the premium is the quote's ask for a buy, bid for a sell).
 * - futures: point value × contracts × price (`notional`), or × |price − stop| (`risk_to_stop`).
 * @module
 */
import Decimal from 'decimal.js';
import {
  tradeStopLoss,
  tradeSymbol,
  type Market,
  type OrderSide,
  type PolicyValue,
  type PriceSource,
  type RejectionReason,
  type TradePayload,
} from '@atc/contracts';

export type PricingPolicy = PolicyValue<'pricing'>;

/** One price for one instrument: USD per unit, where it came from and when it was observed. */
export interface PriceQuote {
  readonly market: Market;
  readonly instrument: string;
  readonly price: string;
  readonly source: PriceSource;
  readonly at: Date;
}

export interface PriceKey {
  readonly market: Market;
  readonly instrument: string;
}

/** The exact order the engine admitted, and what it is worth. */
export interface PricedEntry {
  readonly market: Market;
  readonly instrument: string;
  readonly side: OrderSide;
  /** In the venue's unit: traded-token units, option contracts, futures contracts. */
  readonly quantity: string;
  readonly multiplier: string;
  /** USD per unit of `instrument`. */
  readonly price: string;
  readonly notionalUsd: string;
  readonly priceSource: PriceSource;
  readonly pricedAt: Date;
}

export interface PricingRejection {
  readonly reasonCode: Extract<RejectionReason, 'price_unavailable' | 'stop_loss_required'>;
  readonly reasonMessage: string;
}

/** Futures point values: the USD value of one point of one contract. */
export const FUTURES_POINT_VALUE: Readonly<Record<string, string>> = {
  MES: '5',
  MNQ: '2',
  ES: '50',
  NQ: '20',
};

/** Token units carry at most 9 decimals (SOL's lamports); a buy's quantity is rounded down to them. */
const TOKEN_DECIMALS = 9;

/** The instruments an entry needs a price for. */
export function priceKeysOf(trade: TradePayload): PriceKey[] {
  if (trade.market === 'crypto') {
    const keys = [{ market: 'crypto' as const, instrument: trade.inputMint }];
    if (trade.side === 'buy') keys.push({ market: 'crypto', instrument: trade.outputMint });
    return keys;
  }
  return [{ market: trade.market, instrument: tradeSymbol(trade) }];
}

const keyOf = (key: PriceKey) => `${key.market}:${key.instrument}`;

/**
 * The freshest usable price per instrument: not older than the market's bound before `asOf`, nor
 * observed more than that bound after it (a clock that disagrees that much is not trusted either).
 * A venue quote wins over a mark of the same age or older.
 */
export function freshPrices(
  quotes: readonly PriceQuote[],
  policy: PricingPolicy,
  asOf: Date,
): Map<string, PriceQuote> {
  const best = new Map<string, PriceQuote>();
  for (const quote of quotes) {
    const maxAgeMs = policy.maxPriceAgeSeconds[quote.market] * 1000;
    if (Math.abs(asOf.getTime() - quote.at.getTime()) > maxAgeMs) continue;
    if (!new Decimal(quote.price).isFinite() || new Decimal(quote.price).lte(0)) continue;
    const key = keyOf(quote);
    const current = best.get(key);
    const newer = !current || quote.at.getTime() > current.at.getTime();
    const sameAgeQuote = current?.at.getTime() === quote.at.getTime() && quote.source === 'venue_quote';
    if (newer || sameAgeQuote) best.set(key, quote);
  }
  return best;
}

/** A missing futures stop for `risk_to_stop`, or a price that is not there. */
const unavailable = (key: PriceKey, policy: PricingPolicy): PricingRejection => ({
  reasonCode: 'price_unavailable',
  reasonMessage:
    `no ${key.market} price for ${key.instrument} from a venue quote or a mark within ` +
    `${policy.maxPriceAgeSeconds[key.market]} s of the decision`,
});

/** Prices one entry from `prices` (see `freshPrices`), or says why it cannot. */
export function priceEntry(
  trade: TradePayload,
  prices: ReadonlyMap<string, PriceQuote>,
  policy: PricingPolicy,
): PricedEntry | PricingRejection {
  const missing = priceKeysOf(trade).find((key) => !prices.has(keyOf(key)));
  if (missing) return unavailable(missing, policy);
  const priceOf = (instrument: string) => prices.get(keyOf({ market: trade.market, instrument }))!;
  switch (trade.market) {
    case 'crypto': {
      const input = priceOf(trade.inputMint);
      const notional = new Decimal(trade.amount).times(input.price);
      if (trade.side === 'sell') return entry(trade, 'sell', trade.amount, '1', input, notional);
      const output = priceOf(trade.outputMint);
      const quantity = notional.dividedBy(output.price).toDecimalPlaces(TOKEN_DECIMALS, Decimal.ROUND_DOWN);
      if (quantity.lte(0)) return unavailable({ market: 'crypto', instrument: trade.outputMint }, policy);
      // The exposure of what is actually bought: the rounded quantity at the output price.
      return entry(trade, 'buy', quantity.toFixed(), '1', output, quantity.times(output.price));
    }
    case 'options': {
      const premium = priceOf(trade.occSymbol);
      const side = trade.side === 'buy_to_open' ? 'buy' : 'sell';
      const notional = new Decimal(premium.price).times(100).times(trade.quantity);
      return entry(trade, side, String(trade.quantity), '100', premium, notional);
    }
    case 'futures': {
      const pointValue = FUTURES_POINT_VALUE[trade.rootSymbol];
      if (!pointValue) {
        return {
          reasonCode: 'price_unavailable',
          reasonMessage: `futures root ${trade.rootSymbol} has no known point value, so it cannot be priced`,
        };
      }
      const mark = priceOf(trade.rootSymbol);
      const exposure = futuresExposure(policy, {
        pointValue,
        contracts: trade.contracts,
        price: mark.price,
        stop: tradeStopLoss(trade),
      });
      if (exposure === undefined) {
        return {
          reasonCode: 'stop_loss_required',
          reasonMessage: `futures exposure is measured to the stop, and the ${trade.rootSymbol} entry has none`,
        };
      }
      return entry(trade, trade.side, String(trade.contracts), pointValue, mark, exposure);
    }
  }
}

function entry(
  trade: TradePayload,
  side: OrderSide,
  quantity: string,
  multiplier: string,
  price: PriceQuote,
  notional: Decimal,
): PricedEntry {
  return {
    market: trade.market,
    instrument: tradeSymbol(trade),
    side,
    quantity,
    multiplier,
    price: price.price,
    // Cents, rounded up: the limits compare against the larger side of a fraction of a cent.
    notionalUsd: notional.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2),
    priceSource: price.source,
    pricedAt: price.at,
  };
}

/** Futures exposure by the policy's measure; undefined when `risk_to_stop` has no stop. */
export function futuresExposure(
  policy: Pick<PricingPolicy, 'futuresExposure'>,
  order: { pointValue: string; contracts: Decimal.Value; price: string; stop: string | undefined },
): Decimal | undefined {
  const perPoint = new Decimal(order.pointValue).times(order.contracts);
  if (policy.futuresExposure === 'notional') return perPoint.times(order.price);
  if (order.stop === undefined) return undefined;
  return perPoint.times(new Decimal(order.price).minus(order.stop).abs());
}

/** The declared notional, when given, against the engine's: a message when beyond the tolerance. */
export function declaredMismatch(
  trade: TradePayload,
  priced: PricedEntry,
  policy: PricingPolicy,
): string | undefined {
  if (trade.notionalUsd === undefined) return undefined;
  const engine = new Decimal(priced.notionalUsd);
  const declared = new Decimal(trade.notionalUsd);
  const allowed = engine.times(policy.declaredNotionalTolerance);
  if (declared.minus(engine).abs().lte(allowed)) return undefined;
  return (
    `declared notional ${trade.notionalUsd} USD differs from the priced ${priced.notionalUsd} USD ` +
    `(${priced.quantity} ${priced.instrument} at ${priced.price}, ${priced.priceSource}) by more than ` +
    `${policy.declaredNotionalTolerance * 100} %`
  );
}
