/**
 * Sizes a signal into an entry that passes the default gates: a stop-loss on every entry at
 * `stopLossFraction` from the reference price, a take-profit at `rewardRiskRatio` times that
 * distance, and a notional within `notionalUsd` of its market.
 * @module
 */
import Decimal from 'decimal.js';
import { newYorkTime, nextNyseTradingDay, type ProposalInput, type ProposedStep } from '@atc/contracts';
import { type PriceQuote, FUTURES_POINT_VALUE } from '@atc/trading';
import type { PhaseContext } from './heartbeat-phase';
import type { FoundSignal, SignalScanPolicy } from './signal-scan';

const FUTURES_TICK = new Decimal('0.25');

const price = (value: Decimal) => value.toSignificantDigits(10).toFixed();

function levels(reference: Decimal, fraction: number, ratio: number, long: boolean) {
  const distance = reference.times(fraction);
  const sign = long ? 1 : -1;
  return {
    stop: reference.minus(distance.times(sign)),
    target: reference.plus(distance.times(ratio).times(sign)),
  };
}

function cryptoEntry(found: FoundSignal, policy: SignalScanPolicy): ProposedStep {
  const reference = new Decimal(found.signal.last);
  const { stop, target } = levels(reference, policy.stopLossFraction.crypto, policy.rewardRiskRatio, true);
  const notional = policy.notionalUsd.crypto;
  return {
    kind: 'execute_trade',
    market: 'crypto',
    trade: {
      market: 'crypto',
      inputMint: policy.quoteMint,
      outputMint: found.instrument,
      side: 'buy',
      amount: notional,
      notionalUsd: notional,
      referencePrice: price(reference),
      stopLoss: price(stop),
      takeProfit: price(target),
      slippageFraction: 0.005,
    },
  };
}

/**
 * The price a futures entry is sized from: the venue's ask for a buy, its bid for a sell — the
 * price the gates and the worker measure the risk to the stop from — or the signal's last sample
 * when the venue cannot quote. Sized from the sample alone, a stop a few points away would put the
 * declared risk tens of percent off the priced one after the smallest move.
 */
async function futuresReference(
  context: PhaseContext,
  found: FoundSignal,
  sizedFrom: PriceQuote[],
): Promise<Decimal> {
  const long = found.signal.direction === 'long';
  const quote = await context.marketData.quote('futures', found.instrument).catch((error: unknown) => {
    context.logger.warn(
      { err: error, instrument: found.instrument },
      'futures quote failed; sizing from the signal',
    );
    return null;
  });
  const side = quote ? new Decimal(long ? quote.ask : quote.bid) : new Decimal(0);
  if (side.lte(0)) return new Decimal(found.signal.last);
  sizedFrom.push(quoteOf('futures', found.instrument, side, context.now));
  return side;
}

const quoteOf = (
  market: 'futures' | 'options',
  instrument: string,
  price: Decimal,
  at: Date,
): PriceQuote => ({
  market,
  instrument,
  price: price.toFixed(),
  source: 'venue_quote',
  at,
});

async function futuresEntry(
  context: PhaseContext,
  found: FoundSignal,
  policy: SignalScanPolicy,
  sizedFrom: PriceQuote[],
): Promise<ProposedStep | null> {
  const pointValue = FUTURES_POINT_VALUE[found.instrument];
  if (!pointValue) return null;
  const long = found.signal.direction === 'long';
  const reference = await futuresReference(context, found, sizedFrom);
  // The stop distance in whole ticks: the policy's fraction, narrowed until one contract risks no more
  // than the futures notional (the USD at risk to the stop).
  const ticks = (points: Decimal) => points.dividedBy(FUTURES_TICK).floor().times(FUTURES_TICK);
  const byFraction = ticks(reference.times(policy.stopLossFraction.futures));
  const byBudget = ticks(new Decimal(policy.notionalUsd.futures).dividedBy(pointValue));
  const distance = Decimal.min(byFraction, byBudget);
  if (distance.lt(FUTURES_TICK)) return null;
  const sign = long ? 1 : -1;
  const stop = reference.minus(distance.times(sign));
  const target = reference.plus(ticks(distance.times(policy.rewardRiskRatio)).times(sign));
  const risk = distance.times(pointValue);
  return {
    kind: 'execute_trade',
    market: 'futures',
    trade: {
      market: 'futures',
      rootSymbol: found.instrument,
      side: long ? 'buy' : 'sell',
      contracts: 1,
      bracket: { stopLoss: stop.toFixed(), takeProfit: target.toFixed() },
      // USD at risk to the stop: one contract's face value is far above any default size limit.
      notionalUsd: risk.toFixed(2),
      referencePrice: reference.toFixed(),
      stopLoss: stop.toFixed(),
      takeProfit: target.toFixed(),
    },
  };
}

/**
 * The expiry bought: the next NYSE trading day after the run's New York date (SPY and QQQ list one
 * every trading day). Never a contract that expires the day it is bought, never a holiday.
 */
export function nextExpiry(now: Date): Date {
  return new Date(`${nextNyseTradingDay(newYorkTime(now).date)}T00:00:00Z`);
}

export function occSymbol(underlying: string, expiry: Date, kind: 'C' | 'P', strike: Decimal): string {
  const yymmdd = expiry.toISOString().slice(2, 10).replace(/-/g, '');
  const strikeField = strike.times(1000).toFixed(0).padStart(8, '0');
  return `${underlying.replace('.', '')}${yymmdd}${kind}${strikeField}`;
}

/**
 * The nearest out-of-the-money contract whose premium × 100 (one contract, priced at the venue's ask,
 * the measure the gates use) fits the options notional. A next-day SPY contract 1–5 % out of the
 * money trades between a few cents and about 1.50, so one of the policy's strikes fits the default 50 USD.
 */
async function optionsEntry(
  context: PhaseContext,
  found: FoundSignal,
  policy: SignalScanPolicy,
  sizedFrom: PriceQuote[],
): Promise<ProposedStep | null> {
  const long = found.signal.direction === 'long';
  const spot = new Decimal(found.signal.last);
  const expiry = nextExpiry(context.now);
  const cap = new Decimal(policy.notionalUsd.options);
  for (const otm of policy.optionsOtmFractions) {
    const strike = long ? spot.times(1 + otm).ceil() : spot.times(1 - otm).floor();
    const symbol = occSymbol(found.instrument, expiry, long ? 'C' : 'P', strike);
    const quote = await context.marketData.quote('options', symbol).catch((error: unknown) => {
      context.logger.warn({ err: error, symbol }, 'option quote failed; trying the next strike');
      return null;
    });
    const ask = quote ? new Decimal(quote.ask) : new Decimal(0);
    const notional = ask.times(100);
    if (ask.lte(0) || notional.gt(cap)) continue;
    sizedFrom.push(quoteOf('options', symbol, ask, context.now));
    const { stop, target } = levels(ask, policy.stopLossFraction.options, policy.rewardRiskRatio, true);
    return {
      kind: 'execute_trade',
      market: 'options',
      trade: {
        market: 'options',
        underlying: found.instrument,
        occSymbol: symbol,
        side: 'buy_to_open',
        quantity: 1,
        orderType: 'market',
        notionalUsd: notional.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2),
        referencePrice: ask.toFixed(),
        stopLoss: price(Decimal.max(stop, '0.01')),
        takeProfit: price(target),
      },
    };
  }
  return null;
}

/**
 * The entry for a signal, or null when none fits the size limit. A venue quote an entry was sized
 * from (a future's ask or bid, an option's ask) is added to `sizedFrom`: handed to the gates, it
 * prices the entry exactly as it was sized, however the market moved since.
 */
export async function entryFor(
  context: PhaseContext,
  found: FoundSignal,
  policy: SignalScanPolicy,
  sizedFrom: PriceQuote[] = [],
): Promise<ProposedStep | null> {
  switch (found.market) {
    case 'crypto':
      return cryptoEntry(found, policy);
    case 'futures':
      return futuresEntry(context, found, policy, sizedFrom);
    case 'options':
      return optionsEntry(context, found, policy, sizedFrom);
  }
}

export function signalProposal(found: FoundSignal, step: ProposedStep, scan: number): ProposalInput {
  const { signal } = found;
  const move = new Decimal(signal.change).times(100).toDecimalPlaces(2).toFixed();
  const name = found.market === 'crypto' ? found.instrument.slice(0, 8) : found.instrument;
  return {
    source: 'agent',
    sourceTraceId: `scan:${scan}:${found.market}:${found.instrument}`,
    agent: 'intel',
    title: `${signal.direction === 'long' ? 'Long' : 'Short'} ${name}: ${signal.kinds.join(', ')} (${move}%)`,
    rationale: `intel's scan ${scan}: ${signal.kinds.join(' and ')} over the lookback, last ${signal.last}`,
    confidence: signal.confidence,
    steps: [step],
  };
}
