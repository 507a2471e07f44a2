/**
 * Solana JSON-RPC 2.0: the calls the swap path needs. `sendTransaction` always sends base64
 * (base58 is deprecated) and may be retried freely: resending the same signed bytes cannot execute
 * twice, the runtime de-duplicates by signature.
 * @module
 */
import { AtcError, type ResilientHttp } from '@atc/platform';
import { z } from 'zod';
import { solanaTransactionSchema, type SolanaTransaction } from './solana-transaction';
import { parseWire } from './wire';

export interface SignatureStatus {
  readonly slot: number;
  readonly confirmations: number | null;
  readonly err: unknown;
  readonly confirmationStatus: 'processed' | 'confirmed' | 'finalized' | null;
}

/**
 * The node answered with a JSON-RPC error object. Not permanent by class: a preflight failure or an
 * expired blockhash is decided by the caller (see `isBlockhashNotFound`).
 */
export class SolanaRpcError extends AtcError {
  readonly code = 'solana_rpc_error';
  constructor(
    /** The JSON-RPC error code (e.g. -32002 for a failed preflight). */
    readonly rpcCode: number,
    message: string,
    readonly data: unknown,
  ) {
    super(`solana rpc error ${rpcCode}: ${message}`, { details: { rpcCode } });
  }

  /** The blockhash is unknown or expired (`data.err = "BlockhashNotFound"`). */
  get isBlockhashNotFound(): boolean {
    return (
      (this.data as { err?: unknown } | undefined)?.err === 'BlockhashNotFound' ||
      /blockhash not found/i.test(this.message)
    );
  }
}

/** JSON-RPC 2.0's envelope: a result, or an error object. */
const envelopeSchema = z.union([
  z.object({ error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }) }),
  z.object({ result: z.unknown() }),
]);
const tokenAccountsSchema = z.object({
  value: z.array(
    z.object({
      account: z.object({
        data: z.object({
          parsed: z.object({
            info: z.object({
              mint: z.string(),
              tokenAmount: z.object({ amount: z.string(), decimals: z.number() }),
            }),
          }),
        }),
      }),
    }),
  ),
});
export type SolanaTokenAccount = z.output<typeof tokenAccountsSchema>['value'][number];
const blockhashSchema = z.object({
  value: z.object({ blockhash: z.string(), lastValidBlockHeight: z.number() }),
});
const signatureStatusSchema = z.object({
  slot: z.number(),
  confirmations: z.number().nullable(),
  err: z.unknown(),
  confirmationStatus: z.enum(['processed', 'confirmed', 'finalized']).nullable(),
});

export class SolanaRpcClient {
  private nextId = 1;

  constructor(private readonly options: { http: ResilientHttp }) {}

  /**
   * One JSON-RPC call; the result is parsed with `schema` (the node's envelope always is). A
   * `sendTransaction` whose answer cannot be read is outcome-unknown: the signed bytes may have landed.
   */
  async call<S extends z.ZodType>(
    method: string,
    params: unknown[],
    schema: S,
    endpoint: string = method,
  ): Promise<z.output<S>> {
    const id = this.nextId++;
    const res = await this.options.http.requestJson<unknown>({
      method: 'POST',
      path: '',
      endpoint,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    const source = { venue: 'solana', endpoint, submission: method === 'sendTransaction' };
    const envelope = parseWire(envelopeSchema, res.body, source);
    if ('error' in envelope)
      throw new SolanaRpcError(envelope.error.code, envelope.error.message, envelope.error.data);
    return parseWire(schema, envelope.result, source);
  }

  async getLatestBlockhash(): Promise<{ blockhash: string; lastValidBlockHeight: number }> {
    const result = await this.call('getLatestBlockhash', [{ commitment: 'confirmed' }], blockhashSchema);
    return result.value;
  }

  /** Lamports held by `owner`, at `confirmed`. */
  async getBalance(owner: string): Promise<number> {
    const result = await this.call(
      'getBalance',
      [owner, { commitment: 'confirmed' }],
      z.object({ value: z.number() }),
    );
    return result.value;
  }

  /** The SPL token accounts `owner` holds under `programId`, parsed (`jsonParsed`), at `confirmed`. */
  async getTokenAccountsByOwner(owner: string, programId: string): Promise<SolanaTokenAccount[]> {
    const result = await this.call(
      'getTokenAccountsByOwner',
      [owner, { programId }, { encoding: 'jsonParsed', commitment: 'confirmed' }],
      tokenAccountsSchema,
    );
    return result.value;
  }

  getBlockHeight(): Promise<number> {
    return this.call('getBlockHeight', [{ commitment: 'confirmed' }], z.number());
  }

  /** Returns the signature the node echoes (the transaction's first signature). */
  sendTransaction(base64: string, options: { skipPreflight?: boolean } = {}): Promise<string> {
    return this.call(
      'sendTransaction',
      [
        base64,
        {
          encoding: 'base64',
          skipPreflight: options.skipPreflight ?? false,
          preflightCommitment: 'confirmed',
          maxRetries: 0,
        },
      ],
      z.string(),
    );
  }

  async getSignatureStatuses(
    signatures: readonly string[],
    searchTransactionHistory = false,
  ): Promise<(SignatureStatus | null)[]> {
    if (signatures.length > 256) throw new RangeError('getSignatureStatuses takes at most 256 signatures');
    const result = await this.call(
      'getSignatureStatuses',
      [[...signatures], { searchTransactionHistory }],
      z.object({ value: z.array(signatureStatusSchema.nullable()) }),
    );
    return result.value;
  }

  /**
   * A landed transaction at `confirmed` commitment, or null while the node has none (not landed yet,
   * or not yet served by this node). Version 0 transactions need `maxSupportedTransactionVersion`.
   */
  async getTransaction(signature: string): Promise<SolanaTransaction | null> {
    return this.call(
      'getTransaction',
      [signature, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }],
      solanaTransactionSchema.nullable(),
    );
  }
}
