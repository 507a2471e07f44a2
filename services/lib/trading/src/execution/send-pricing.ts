import Decimal from 'decimal.js';
import { errorMessage, type Logger, type Queryable } from '@atc/platform';
import { ExecuteTradeStep, tradeStopLoss, tradeSymbol } from '@atc/contracts';
import { freshPrices, futuresExposure, type PriceQuote, type PricingPolicy } from '../entry-pricing';
import { selectLatestMarks } from '../entry-pricing.queries';
import type { ExecutionVenue } from './execution-venue';
import type { PlannedOrder } from './order-request';

/**
 * Execution prices the admitted order again just before it is sent (design §5, invariant 10): the
 * venue's quote now (ask for a buy, bid for a sell), else a fresh mark. An order whose exposure at
 * that price exceeds the admitted one by more than `pricing.sendNotionalTolerance` is not sent.
 */
export async function quoteBeforeSend(
  venue: ExecutionVenue,
  step: { readonly kind: string; readonly payload: unknown },
  at: Date,
  logger: Logger,
): Promise<PriceQuote | undefined> {
  if (step.kind !== 'execute_trade') return undefined;
  const parsed = ExecuteTradeStep.safeParse(step.payload);
  if (!parsed.success) return undefined;
  const trade = parsed.data.trade;
  const instrument = tradeSymbol(trade);
  const buying = trade.side === 'buy' || trade.side === 'buy_to_open';
  try {
    const quote = await venue.getQuote(instrument);
    return {
      market: trade.market,
      instrument,
      price: buying ? quote.ask : quote.bid,
      source: 'venue_quote',
      at,
    };
  } catch (error) {
    // The mark may still price the order; with neither, the step fails before any send.
    logger.warn(
      { err: error, instrument, reason: errorMessage(error) },
      'quote before send failed; using the mark',
    );
    return undefined;
  }
}

export interface SendPricing {
  readonly price: PriceQuote;
  readonly notionalUsd: string;
}

export type SendCheck =
  | { readonly ok: true; readonly pricing: SendPricing }
  | { readonly ok: false; readonly code: 'price_unavailable' | 'price_moved'; readonly reason: string };

/** The exposure of `plan` at `price`, by the same rule the gates used. */
function exposureAt(plan: PlannedOrder, price: string, policy: PricingPolicy): Decimal | undefined {
  if (plan.market === 'futures' && plan.trade) {
    return futuresExposure(policy, {
      pointValue: plan.multiplier,
      contracts: plan.quantity,
      price,
      stop: tradeStopLoss(plan.trade),
    });
  }
  return new Decimal(plan.quantity).times(plan.multiplier).times(price);
}

/** Judges an entry's order at send time; reductions (no admission) always pass. */
export async function checkSendPrice(
  db: Queryable,
  plan: PlannedOrder,
  quote: PriceQuote | undefined,
  policy: PricingPolicy,
  now: Date,
): Promise<SendCheck | undefined> {
  const admission = plan.admission;
  if (!admission) return undefined;
  const key = { market: plan.market, instrument: plan.symbol };
  const marks = await selectLatestMarks(db, [key], now);
  const price = freshPrices([...(quote ? [quote] : []), ...marks], policy, now).get(
    `${key.market}:${key.instrument}`,
  );
  if (!price) {
    return {
      ok: false,
      code: 'price_unavailable',
      reason: `no fresh ${plan.market} price for ${plan.symbol} at send time; the order is not sent`,
    };
  }
  const exposure = exposureAt(plan, price.price, policy);
  const admitted = new Decimal(admission.notionalUsd);
  const ceiling = admitted.times(1 + policy.sendNotionalTolerance[plan.market]);
  if (exposure === undefined || exposure.gt(ceiling)) {
    return {
      ok: false,
      code: 'price_moved',
      reason:
        `priced at ${price.price} (${price.source}) the order is worth ${exposure?.toFixed(2) ?? 'an unbounded amount'} USD, ` +
        `above the admitted ${admission.notionalUsd} USD by more than ${policy.sendNotionalTolerance[plan.market] * 100} %; not sent`,
    };
  }
  return {
    ok: true,
    pricing: { price, notionalUsd: exposure.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2) },
  };
}
