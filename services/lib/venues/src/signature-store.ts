/**
 * Where the crypto venue keeps what it signed, keyed by client order id, so that any process can
 * answer `lookupOrder` and no process ever signs a second transaction for the same id. A record is
 * written after signing and BEFORE the first send: "no record" therefore proves "never sent".
 *
 * Production passes a PostgreSQL-backed store (the worker owns the table); tests use
 * `InMemorySignatureStore`. Amounts are strings: base units for the quote, token units for the intent.
 * @module
 */
import type { OrderSide } from './venue';

export interface SwapOrderRecord {
  readonly clientOrderId: string;
  /** base58 of the transaction's first signature: its id on chain, known before sending. */
  readonly signature: string;
  /** The block height after which the transaction can no longer land. */
  readonly lastValidBlockHeight: number;
  /** The signed transaction, base64: resent byte for byte, never re-signed. */
  readonly transactionBase64: string;
  /** The traded token's mint. */
  readonly instrument: string;
  readonly side: OrderSide;
  /** Requested quantity in token units (decimal string). */
  readonly quantity: string;
  /** The Jupiter quote the transaction executes, in base units. */
  readonly inputMint: string;
  readonly outputMint: string;
  readonly inAmount: string;
  readonly outAmount: string;
  /** Minimum out (ExactIn): the worst fill the on-chain slippage check lets through. */
  readonly otherAmountThreshold: string;
  readonly tokenDecimals: number;
  readonly quoteDecimals: number;
  /** The priority fee the swap was built with; absent in records signed before it was kept. */
  readonly priorityFeeLamports?: number;
  /** ISO timestamp of signing. */
  readonly signedAt: string;
}

/**
 * `save` refused the record: its signature is already stored for another client order id (the
 * same bytes: same pair, amount, blockhash and priority fee). Nothing was stored for this order.
 */
export class SignatureTakenError extends Error {
  constructor(
    readonly signature: string,
    options?: ErrorOptions,
  ) {
    super(`signature ${signature} is already stored for another order`, options);
    this.name = 'SignatureTakenError';
  }
}

export interface SignatureStore {
  /**
   * Durably stores `record` unless a record already exists for its client order id, and resolves
   * with the record that is stored (first writer wins). It must not resolve before the write is
   * durable: the transaction is sent only afterwards. It rejects with `SignatureTakenError` a record
   * whose signature is already stored for another client order id (one transaction is one order).
   */
  save(record: SwapOrderRecord): Promise<SwapOrderRecord>;
  load(clientOrderId: string): Promise<SwapOrderRecord | undefined>;
}

/**
 * For tests and the simulator: durable only as long as the process. Like the PostgreSQL store, it
 * refuses a signature already stored for another client order id.
 */
export class InMemorySignatureStore implements SignatureStore {
  private readonly records = new Map<string, SwapOrderRecord>();

  save(record: SwapOrderRecord): Promise<SwapOrderRecord> {
    const existing = this.records.get(record.clientOrderId);
    if (existing) return Promise.resolve(existing);
    // The same guard as the PostgreSQL store's unique signature: one transaction, one order.
    if ([...this.records.values()].some((r) => r.signature === record.signature))
      return Promise.reject(new SignatureTakenError(record.signature));
    this.records.set(record.clientOrderId, record);
    return Promise.resolve(record);
  }

  load(clientOrderId: string): Promise<SwapOrderRecord | undefined> {
    return Promise.resolve(this.records.get(clientOrderId));
  }

  /** Every stored record, in insertion order (tests assert on what was persisted). */
  all(): readonly SwapOrderRecord[] {
    return [...this.records.values()];
  }
}
