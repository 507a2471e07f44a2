/**
 * The crypto market: market swaps through Jupiter, executed on Solana. `intent.instrument` is the
 * traded token's mint, the quantity is in token units, and the other leg is the quote token (USDC).
 *
 * Each order's swap carries its own priority fee, derived from its client order id
 * (`jupiter-priority-fee.ts`), so two orders for the same pair and amount within one blockhash do not
 * share a transaction (one signature for two orders would leave the second unsendable); in the rare
 * case they still do, the store refuses the second record and it is swapped once more, a lamport higher.
 *
 * Idempotency: the client order id maps, through the injected `SignatureStore`, to the one
 * transaction ever stored (and so ever sent) for it. The record is durable before the first send, so:
 * - a second `submitOrder` with the same id resumes that transaction (resends the same bytes),
 *   it never signs another one;
 * - `lookupOrder` answers from the chain: no record → `absent` (never signed, never sent);
 *   landed → `found` (filled, or rejected when it failed on chain); not yet expired → `unknown`;
 *   past `lastValidBlockHeight` with a null history search → `absent`.
 * Errors: anything before the record is stored proves nothing was sent (`VenueUnavailableError`,
 * or `VenueRejectedError` for Jupiter's business refusals); anything after it is ambiguous
 * (`OutcomeUnknownError`) unless the chain answered.
 *
 * Fills are what the chain delivered: the wallet's balance changes in the confirmed transaction
 * (`getTransaction`), never the quote, which is kept only as the expected price. The transaction fee
 * is reported in SOL. SOL (the fee currency) and the quote token are cash, not positions.
 * @module
 */
import Decimal from 'decimal.js';
import type { Keypair } from '@solana/web3.js';
import { errorMessage, OutcomeUnknownError, type Logger, type Sleep } from '@atc/platform';
import type { JupiterClient, JupiterQuote } from './jupiter.client';
import { DEFAULT_PRIORITY_FEE_LAMPORTS, orderPriorityFeeLamports } from './jupiter-priority-fee';
import { expectedPriceOfSwap, fillOfTransaction, quoteSwap, type SwapToken } from './jupiter-swap-sizing';
import { SignatureTakenError, type SignatureStore, type SwapOrderRecord } from './signature-store';
import { checkSignature, sendAndConfirm, type ConfirmationOutcome } from './solana-confirm';
import type { SolanaRpcClient } from './solana-rpc.client';
import { signTransaction } from './solana-signer';
import { walletBalanceChanges, type WalletBalanceChanges } from './solana-transaction';
import {
  VenueRejectedError,
  VenueUnavailableError,
  type LookupResult,
  type OrderIntent,
  type Venue,
  type VenueOrder,
  type VenuePosition,
  type VenueQuote,
} from './venue';

export const USDC_MAINNET_MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
export const WRAPPED_SOL_MINT = 'So11111111111111111111111111111111111111112';
const SPL_TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

/** Mints whose decimals are known without asking (mint metadata; they never change). */
export const KNOWN_TOKEN_DECIMALS: Readonly<Record<string, number>> = {
  [WRAPPED_SOL_MINT]: 9,
  [USDC_MAINNET_MINT]: 6,
};

export interface JupiterSolanaCryptoVenueOptions {
  readonly jupiter: JupiterClient;
  readonly solana: SolanaRpcClient;
  readonly wallet: Keypair;
  readonly store: SignatureStore;
  /** The quote token every swap trades against; default USDC. */
  readonly quoteMint?: string;
  /** Extra mint → decimals; others come from Jupiter price v3's `decimals`. */
  readonly tokenDecimals?: Readonly<Record<string, number>>;
  /**
   * The base of every swap's priority fee in lamports (JUPITER_PRIORITY_FEE_LAMPORTS); each order adds
   * its own small offset so no two orders share a transaction. Default 5,000.
   */
  readonly basePriorityFeeLamports?: number;
  /** When the intent carries none; default 50. */
  readonly defaultSlippageBps?: number;
  /** Resend pacing while confirming; default 2 s (Jupiter's own example). */
  readonly resendIntervalMs?: number;
  /** Status checks between resends; default 400 ms (a slot). */
  readonly pollIntervalMs?: number;
  /** Status checks before `submitOrder` gives up with `OutcomeUnknownError`; default 300 (~2 min). */
  readonly maxConfirmRounds?: number;
  /** Injected so tests drive the simulated chain instead of waiting. */
  readonly sleep?: Sleep;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/** What one order's swap is priced at: everything but the transaction, which the fee decides. */
interface PricedSwap {
  readonly intent: OrderIntent;
  readonly jupiterQuote: JupiterQuote;
  readonly token: SwapToken;
  readonly quote: SwapToken;
}

interface SignedSwap {
  readonly priced: PricedSwap;
  readonly record: SwapOrderRecord;
}

export class JupiterSolanaCryptoVenue implements Venue {
  readonly name = 'jupiter-solana';
  readonly market = 'crypto' as const;
  /** The quote token (what swaps are paid in) and SOL (what fees are paid in): cash, not positions. */
  readonly cashInstruments: readonly string[];
  private readonly quoteMint: string;
  private readonly decimals: Map<string, number>;

  constructor(private readonly options: JupiterSolanaCryptoVenueOptions) {
    this.quoteMint = options.quoteMint ?? USDC_MAINNET_MINT;
    this.cashInstruments = [WRAPPED_SOL_MINT, this.quoteMint];
    this.decimals = new Map(Object.entries({ ...KNOWN_TOKEN_DECIMALS, ...options.tokenDecimals }));
  }

  async submitOrder(intent: OrderIntent): Promise<VenueOrder> {
    this.validate(intent);
    const existing = await this.beforeSend(() => this.options.store.load(intent.clientOrderId));
    // Never a second signature for one client order id: resume what was signed before.
    if (existing) return this.confirm(existing);
    const signed = await this.beforeSend(() => this.sign(intent));
    const { stored, attempted } = await this.beforeSend(() => this.store(signed));
    if (stored.signature !== attempted.signature) {
      this.options.logger?.warn(
        { clientOrderId: intent.clientOrderId, signature: stored.signature },
        'another process signed this order first; resuming its transaction',
      );
    }
    return this.confirm(stored);
  }

  async lookupOrder(clientOrderId: string): Promise<LookupResult> {
    const record = await this.options.store.load(clientOrderId);
    if (!record) return { state: 'absent' };
    const state = await checkSignature(this.options.solana, record);
    if (state.state === 'pending')
      return {
        state: 'unknown',
        reason: `transaction ${record.signature} not landed and valid until block ${record.lastValidBlockHeight}`,
      };
    if (state.state === 'expired') return { state: 'absent' };
    const changes = await this.balanceChanges(record);
    if (!changes)
      return { state: 'unknown', reason: `transaction ${record.signature} landed but is not readable yet` };
    return { state: 'found', order: this.landedOrder(record, state, changes) };
  }

  cancelOrder(clientOrderId: string): Promise<VenueOrder> {
    return Promise.reject(new VenueRejectedError(this.name, `a swap cannot be cancelled (${clientOrderId})`));
  }

  async getPositions(): Promise<VenuePosition[]> {
    const owner = this.options.wallet.publicKey.toBase58();
    const accounts = await this.options.solana.getTokenAccountsByOwner(owner, SPL_TOKEN_PROGRAM);
    const totals = new Map<string, Decimal>();
    for (const { account } of accounts) {
      const { mint, tokenAmount } = account.data.parsed.info;
      // SOL (native or wrapped) pays the fees and USDC pays for swaps: both are cash, not positions.
      if (this.cashInstruments.includes(mint)) continue;
      const units = new Decimal(tokenAmount.amount).div(new Decimal(10).pow(tokenAmount.decimals));
      totals.set(mint, (totals.get(mint) ?? new Decimal(0)).plus(units));
    }
    return [...totals]
      .filter(([, quantity]) => !quantity.isZero())
      .map(([instrument, quantity]) => ({ instrument, quantity: quantity.toString() }));
  }

  /** Jupiter price v3 has one USD price per token, so bid, ask and last are that price. */
  async getQuote(instrument: string): Promise<VenueQuote> {
    const price = (await this.options.jupiter.prices([instrument]))[instrument];
    if (!price) throw new VenueRejectedError(this.name, `no price for ${instrument}`);
    this.decimals.set(instrument, price.decimals);
    // The wire carries a JSON number; its shortest decimal rendering is the value Jupiter meant.
    const usd = new Decimal(String(price.usdPrice)).toString();
    return { instrument, bid: usd, ask: usd, last: usd };
  }

  private validate(intent: OrderIntent): void {
    if (intent.market !== 'crypto') throw new VenueRejectedError(this.name, `not a crypto order`);
    if (intent.orderType !== 'market')
      throw new VenueRejectedError(this.name, 'only market swaps are supported');
    if (intent.instrument === this.quoteMint)
      throw new VenueRejectedError(this.name, 'the quote token cannot be traded against itself');
    const quantity = decimalOrUndefined(intent.quantity);
    if (!quantity?.isFinite() || quantity.lte(0))
      throw new VenueRejectedError(this.name, 'quantity must be positive');
    const bps = this.slippageOf(intent);
    if (!Number.isInteger(bps) || bps < 0 || bps > 10_000)
      throw new VenueRejectedError(this.name, `slippageBps ${bps} is outside 0..10000`);
  }

  private slippageOf(intent: OrderIntent): number {
    return intent.slippageBps ?? this.options.defaultSlippageBps ?? 50;
  }

  /** Quote → swap → sign. Side-effect free: nothing leaves this process until the record is stored. */
  private async sign(intent: OrderIntent): Promise<SignedSwap> {
    const [token, quote] = await Promise.all([this.token(intent.instrument), this.token(this.quoteMint)]);
    const jupiterQuote = await quoteSwap(this.options.jupiter, {
      side: intent.side,
      quantity: intent.quantity,
      token,
      quote,
      slippageBps: this.slippageOf(intent),
    });
    const fee = orderPriorityFeeLamports(
      this.options.basePriorityFeeLamports ?? DEFAULT_PRIORITY_FEE_LAMPORTS,
      intent.clientOrderId,
    );
    const priced = { intent, jupiterQuote, token, quote };
    return { priced, record: await this.swapAndSign(priced, fee) };
  }

  /** Jupiter's transaction for the quote with this priority fee, signed, as the record to store. */
  private async swapAndSign(priced: PricedSwap, priorityFeeLamports: number): Promise<SwapOrderRecord> {
    const { intent, jupiterQuote, token, quote } = priced;
    const swap = await this.options.jupiter.swap(jupiterQuote, this.options.wallet.publicKey.toBase58(), {
      prioritizationFeeLamports: priorityFeeLamports,
    });
    const signed = signTransaction(swap.swapTransaction, this.options.wallet);
    return {
      clientOrderId: intent.clientOrderId,
      signature: signed.signature,
      lastValidBlockHeight: swap.lastValidBlockHeight,
      transactionBase64: signed.base64,
      instrument: intent.instrument,
      side: intent.side,
      quantity: new Decimal(intent.quantity).toString(),
      inputMint: jupiterQuote.inputMint,
      outputMint: jupiterQuote.outputMint,
      inAmount: jupiterQuote.inAmount,
      outAmount: jupiterQuote.outAmount,
      otherAmountThreshold: jupiterQuote.otherAmountThreshold,
      tokenDecimals: token.decimals,
      quoteDecimals: quote.decimals,
      priorityFeeLamports,
      signedAt: (this.options.now ?? (() => new Date()))().toISOString(),
    };
  }

  /**
   * Stores the signed record. When its bytes are exactly another order's (the same pair, amount,
   * blockhash and priority fee: 1 in 1,000 for identical orders in one blockhash), nothing was stored
   * for this order: it asks Jupiter once more, with a lamport more, instead of failing the attempt.
   * A second refusal is left to the store's guard ("nothing sent", retried).
   */
  private async store(signed: SignedSwap): Promise<{ stored: SwapOrderRecord; attempted: SwapOrderRecord }> {
    try {
      return { stored: await this.options.store.save(signed.record), attempted: signed.record };
    } catch (error) {
      if (!(error instanceof SignatureTakenError)) throw error;
      const { clientOrderId, signature, priorityFeeLamports } = signed.record;
      this.options.logger?.warn(
        { clientOrderId, signature, priorityFeeLamports },
        "this order's transaction is another order's, byte for byte; swapping again with a lamport more priority fee",
      );
      const bumped = await this.swapAndSign(signed.priced, (priorityFeeLamports ?? 0) + 1);
      return { stored: await this.options.store.save(bumped), attempted: bumped };
    }
  }

  private async token(mint: string): Promise<SwapToken> {
    const known = this.decimals.get(mint);
    if (known !== undefined) return { mint, decimals: known };
    const price = (await this.options.jupiter.prices([mint]))[mint];
    if (!price) throw new VenueRejectedError(this.name, `unknown token ${mint}: no decimals configured`);
    this.decimals.set(mint, price.decimals);
    return { mint, decimals: price.decimals };
  }

  /** Before the record is stored nothing was sent: a refusal stays one, anything else is retryable. */
  private async beforeSend<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof VenueRejectedError || error instanceof VenueUnavailableError) throw error;
      throw new VenueUnavailableError(this.name, `nothing sent: ${errorMessage(error)}`, { cause: error });
    }
  }

  private async confirm(record: SwapOrderRecord): Promise<VenueOrder> {
    let outcome: ConfirmationOutcome;
    try {
      outcome = await sendAndConfirm({
        rpc: this.options.solana,
        transaction: {
          signature: record.signature,
          base64: record.transactionBase64,
          lastValidBlockHeight: record.lastValidBlockHeight,
        },
        // Already durable: `submitOrder` stored it (first writer wins) before calling here.
        persist: () => Promise.resolve(),
        maxRounds: this.options.maxConfirmRounds ?? 300,
        ...(this.options.resendIntervalMs !== undefined
          ? { resendIntervalMs: this.options.resendIntervalMs }
          : {}),
        ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      });
    } catch (error) {
      throw new OutcomeUnknownError('solana', 'sendTransaction', { cause: error });
    }
    if (outcome.state === 'expired') {
      // Past its last valid block with a null history search: provably never executed, so a new
      // attempt (a new client order id) may re-quote and re-sign.
      throw new VenueUnavailableError(
        this.name,
        `transaction ${record.signature} expired without landing; nothing executed`,
      );
    }
    let changes: WalletBalanceChanges | undefined;
    try {
      changes = await this.balanceChanges(record);
    } catch (error) {
      throw new OutcomeUnknownError('solana', 'getTransaction', { cause: error });
    }
    // Landed, but the node cannot show it yet: what it delivered is known only later (a lookup).
    if (!changes) {
      throw new OutcomeUnknownError('solana', 'getTransaction', {
        cause: new Error(`transaction ${record.signature} landed but the node has not served it yet`),
      });
    }
    return this.landedOrder(record, outcome, changes);
  }

  /** The wallet's balance changes in the landed transaction, or undefined while the node has none. */
  private async balanceChanges(record: SwapOrderRecord): Promise<WalletBalanceChanges | undefined> {
    const tx = await this.options.solana.getTransaction(record.signature);
    if (!tx) return undefined;
    return walletBalanceChanges(tx, this.options.wallet.publicKey.toBase58(), WRAPPED_SOL_MINT);
  }

  /**
   * A landed transaction, booked from what it did to the wallet: confirmed is a fill of the tokens
   * that moved; an on-chain error paid the fee and swapped nothing.
   */
  private landedOrder(
    record: SwapOrderRecord,
    outcome: Exclude<ConfirmationOutcome, { state: 'expired' }>,
    changes: WalletBalanceChanges,
  ): VenueOrder {
    const base = {
      clientOrderId: record.clientOrderId,
      venueOrderId: record.signature,
      instrument: record.instrument,
      side: record.side,
      quantity: record.quantity,
      expectedPrice: expectedPriceOfSwap(record).toSignificantDigits(12).toString(),
      fee: { currency: 'SOL', amount: new Decimal(changes.feeLamports.toString()).div(1e9).toString() },
    };
    const fill = fillOfTransaction(record, changes);
    if (outcome.state === 'failed' || fill.quantity.isZero()) {
      const reason = outcome.state === 'failed' ? JSON.stringify(outcome.err) : 'the wallet received nothing';
      return { ...base, status: 'rejected', filledQuantity: '0', rejectReason: `failed on chain: ${reason}` };
    }
    return {
      ...base,
      status: 'filled',
      filledQuantity: fill.quantity.toString(),
      averagePrice: fill.averagePrice.toSignificantDigits(12).toString(),
    };
  }
}

/** decimal.js throws on text that is not a number; an intent with such a quantity is refused. */
function decimalOrUndefined(value: string): Decimal | undefined {
  try {
    return new Decimal(value);
  } catch {
    return undefined;
  }
}
