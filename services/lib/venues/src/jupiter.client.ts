/**
 * Jupiter swap v1 (`/swap/v1/quote`, `/swap/v1/swap`) and price v3 with `x-api-key`. Amounts are
 * base-unit strings, as on the wire. Quote and swap have no side effects, so they retry freely.
 * A 400 carrying `errorCode` is a business "no route"; a 400 without one is our malformed request.
 * @module
 */
import type { ResilientHttp } from '@atc/platform';
import { VenueRejectedError } from './venue';
import { z } from 'zod';
import { parseJsonOr, parseWire, rejectOn4xx } from './wire';

export interface JupiterQuote {
  readonly inputMint: string;
  readonly inAmount: string;
  readonly outputMint: string;
  readonly outAmount: string;
  readonly otherAmountThreshold: string;
  readonly swapMode: 'ExactIn' | 'ExactOut';
  readonly slippageBps: number;
  /** A decimal string; its unit is unverified (most likely a fraction). */
  readonly priceImpactPct: string;
  readonly routePlan: readonly unknown[];
  readonly [key: string]: unknown;
}

export interface JupiterSwap {
  /** Base64 unsigned VersionedTransaction with the blockhash already set. */
  readonly swapTransaction: string;
  readonly lastValidBlockHeight: number;
  readonly simulationError: { errorCode: string; error: string } | null;
  readonly [key: string]: unknown;
}

export interface JupiterPrice {
  readonly usdPrice: number;
  readonly decimals: number;
  readonly blockId: number | null;
  readonly priceChange24h: number | null;
}

export interface SwapOptions {
  /**
   * The swap's priority fee in whole lamports, sent as an integer rather than `"auto"` so that the
   * caller decides it (see `jupiter-priority-fee.ts`): Jupiter sets the transaction's compute unit
   * price from it, so two swaps with different fees are different transactions.
   */
  readonly prioritizationFeeLamports: number;
}

export interface QuoteRequest {
  readonly inputMint: string;
  readonly outputMint: string;
  /** Base units, as an integer string. */
  readonly amount: string;
  readonly slippageBps: number;
}

/** No route, not tradable, or a simulation error: Jupiter refused the trade. */
export class JupiterRejectedError extends VenueRejectedError {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super('jupiter', `${message} (${errorCode})`);
  }
}

const quoteSchema = z.looseObject({
  inputMint: z.string(),
  inAmount: z.string(),
  outputMint: z.string(),
  outAmount: z.string(),
  otherAmountThreshold: z.string(),
  swapMode: z.enum(['ExactIn', 'ExactOut']),
  slippageBps: z.number(),
  priceImpactPct: z.string(),
  routePlan: z.array(z.unknown()),
});
const swapSchema = z.looseObject({
  swapTransaction: z.string(),
  lastValidBlockHeight: z.number(),
  simulationError: z.object({ errorCode: z.string(), error: z.string() }).nullable(),
});
const pricesSchema = z.record(
  z.string(),
  z.object({
    usdPrice: z.number(),
    decimals: z.number(),
    blockId: z.number().nullable(),
    priceChange24h: z.number().nullable(),
  }),
);

export class JupiterClient {
  constructor(private readonly options: { http: ResilientHttp; apiKey: string }) {}

  private headers(): Record<string, string> {
    return { 'x-api-key': this.options.apiKey, accept: 'application/json' };
  }

  private static reason(this: void, body: string): string {
    const parsed = parseJsonOr<{ error?: string; errorCode?: string }>(body, {});
    return parsed.errorCode
      ? `${parsed.error ?? 'rejected'} (${parsed.errorCode})`
      : `malformed request: ${parsed.error ?? body.slice(0, 200)}`;
  }

  async quote(request: QuoteRequest): Promise<JupiterQuote> {
    const res = await rejectOn4xx(
      'jupiter',
      () =>
        this.options.http.requestJson<unknown>({
          method: 'GET',
          path: '/swap/v1/quote',
          endpoint: 'quote',
          headers: this.headers(),
          query: {
            inputMint: request.inputMint,
            outputMint: request.outputMint,
            amount: request.amount,
            slippageBps: String(request.slippageBps),
            restrictIntermediateTokens: 'true',
          },
        }),
      JupiterClient.reason,
    );
    return parseWire(quoteSchema, res.body, { venue: 'jupiter', endpoint: 'quote' });
  }

  async swap(quoteResponse: JupiterQuote, userPublicKey: string, options: SwapOptions): Promise<JupiterSwap> {
    const fee = options.prioritizationFeeLamports;
    if (!Number.isSafeInteger(fee) || fee < 0)
      throw new RangeError(`prioritizationFeeLamports ${fee} is not a non-negative integer`);
    const res = await rejectOn4xx(
      'jupiter',
      () =>
        this.options.http.requestJson<unknown>({
          method: 'POST',
          path: '/swap/v1/swap',
          endpoint: 'swap',
          headers: { ...this.headers(), 'content-type': 'application/json' },
          body: JSON.stringify({
            quoteResponse,
            userPublicKey,
            wrapAndUnwrapSol: true,
            dynamicComputeUnitLimit: true,
            prioritizationFeeLamports: fee,
          }),
        }),
      JupiterClient.reason,
    );
    const swap = parseWire(swapSchema, res.body, { venue: 'jupiter', endpoint: 'swap' });
    // Never send a transaction Jupiter's own simulation says will fail.
    if (swap.simulationError)
      throw new JupiterRejectedError(swap.simulationError.errorCode, swap.simulationError.error);
    return swap;
  }

  /** Prices for up to 50 mints; tokens without a reliable price are simply missing. */
  async prices(mints: readonly string[]): Promise<Record<string, JupiterPrice>> {
    if (mints.length > 50) throw new RangeError('Jupiter price v3 takes at most 50 ids per request');
    const res = await this.options.http.requestJson<unknown>({
      method: 'GET',
      path: '/price/v3',
      endpoint: 'price',
      headers: this.headers(),
      query: { ids: mints.join(',') },
    });
    return parseWire(pricesSchema, res.body, { venue: 'jupiter', endpoint: 'price' });
  }
}
