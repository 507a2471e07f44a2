/**
 * Turns a crypto order (token units, buy or sell against the quote token) into the Jupiter quote
 * the swap executes, and a stored swap back into a fill. Every amount is a decimal.js value or an
 * integer string of base units; nothing passes through a binary float.
 *
 * Jupiter v1 supports ExactOut only on some AMMs (and advises against it), v2 drops it, and the
 * simulator quotes ExactIn only — so a buy is an ExactIn swap of the quote token, sized from quotes
 * to deliver about the requested quantity (see `quoteBuy`). A sell is an ExactIn swap of exactly the
 * requested quantity.
 * @module
 */
import Decimal from 'decimal.js';
import type { JupiterClient, JupiterQuote } from './jupiter.client';
import type { SwapOrderRecord } from './signature-store';
import type { WalletBalanceChanges } from './solana-transaction';
import { VenueRejectedError, type OrderSide } from './venue';

export interface SwapToken {
  readonly mint: string;
  readonly decimals: number;
}

export interface SwapSizingRequest {
  readonly side: OrderSide;
  /** Token units, decimal string. */
  readonly quantity: string;
  readonly token: SwapToken;
  readonly quote: SwapToken;
  readonly slippageBps: number;
}

const VENUE = 'jupiter';

/** Token units → base units; a quantity finer than the token's decimals is refused, never rounded. */
export function toBaseUnits(quantity: Decimal.Value, decimals: number): string {
  const base = new Decimal(quantity).times(new Decimal(10).pow(decimals));
  if (!base.isInteger())
    throw new VenueRejectedError(VENUE, `quantity ${String(quantity)} has more than ${decimals} decimals`);
  return base.toFixed(0);
}

export function fromBaseUnits(base: string, decimals: number): Decimal {
  return new Decimal(base).div(new Decimal(10).pow(decimals));
}

export function quoteSwap(jupiter: JupiterClient, request: SwapSizingRequest): Promise<JupiterQuote> {
  if (request.side === 'sell') {
    return jupiter.quote({
      inputMint: request.token.mint,
      outputMint: request.quote.mint,
      amount: toBaseUnits(request.quantity, request.token.decimals),
      slippageBps: request.slippageBps,
    });
  }
  return quoteBuy(jupiter, request);
}

/**
 * Three quotes, all side-effect free: (1) what selling the target quantity would fetch, a first
 * estimate of its value in the quote token; (2) what that estimate buys — short of the target by
 * the fees and impact of both directions; (3) the estimate scaled by target / bought, rounded up,
 * which buys the target to within the AMM's curvature (a fraction of a basis point at these sizes).
 */
async function quoteBuy(jupiter: JupiterClient, request: SwapSizingRequest): Promise<JupiterQuote> {
  // A buy's quantity is a target the swap reaches only approximately, so it is rounded down to the
  // token's smallest unit here; a sell spends exactly what it names, so there a finer quantity is refused.
  const target = new Decimal(request.quantity).times(new Decimal(10).pow(request.token.decimals)).floor();
  if (target.lte(0)) throw new VenueRejectedError(VENUE, `quantity ${request.quantity} is too small to buy`);
  const { slippageBps } = request;
  const reverse = await jupiter.quote({
    inputMint: request.token.mint,
    outputMint: request.quote.mint,
    amount: target.toFixed(0),
    slippageBps,
  });
  const estimate = new Decimal(reverse.outAmount);
  if (estimate.lte(0))
    throw new VenueRejectedError(VENUE, `quantity ${request.quantity} is too small to buy`);
  const buy = (amount: Decimal) =>
    jupiter.quote({
      inputMint: request.quote.mint,
      outputMint: request.token.mint,
      amount: amount.toFixed(0),
      slippageBps,
    });
  const probe = await buy(estimate);
  const bought = new Decimal(probe.outAmount);
  if (bought.lte(0)) throw new VenueRejectedError(VENUE, `quantity ${request.quantity} is too small to buy`);
  return buy(estimate.times(target).div(bought).ceil());
}

/** The price the quote promised: quote-token units per token, the expected price of the fill. */
export function expectedPriceOfSwap(record: SwapOrderRecord): Decimal {
  const buy = record.side === 'buy';
  const tokens = fromBaseUnits(buy ? record.outAmount : record.inAmount, record.tokenDecimals);
  const cash = fromBaseUnits(buy ? record.inAmount : record.outAmount, record.quoteDecimals);
  return tokens.isZero() ? new Decimal(0) : cash.div(tokens);
}

/**
 * The fill a landed swap delivered, from the wallet's balance changes in the confirmed transaction
 * (never from the quote: the chain settles at the landing slot's price): the tokens bought or sold
 * and the quote-token amount paid or received. The transaction fee is not part of it.
 */
export function fillOfTransaction(
  record: SwapOrderRecord,
  changes: WalletBalanceChanges,
): { quantity: Decimal; averagePrice: Decimal } {
  const buy = record.side === 'buy';
  const quoteMint = buy ? record.inputMint : record.outputMint;
  const tokenDelta = changes.deltas.get(record.instrument) ?? 0n;
  const cashDelta = changes.deltas.get(quoteMint) ?? 0n;
  const tokens = fromBaseUnits((buy ? tokenDelta : -tokenDelta).toString(), record.tokenDecimals);
  const cash = fromBaseUnits((buy ? -cashDelta : cashDelta).toString(), record.quoteDecimals);
  if (tokens.lte(0)) return { quantity: new Decimal(0), averagePrice: new Decimal(0) };
  return { quantity: tokens, averagePrice: cash.div(tokens) };
}
