import { AtcError, type ResilientHttp } from '@atc/platform';
import { solanaTransactionSchema, type SolanaTransaction } from './solana-transaction';

/**
 * Solana JSON-RPC 2.0: the calls the swap path needs. `sendTransaction` always sends base64
 * (base58 is deprecated) and may be retried freely: resending the same signed bytes cannot execute
 * twice, the runtime de-duplicates by signature.
 */
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

export class SolanaRpcClient {
  private nextId = 1;

  constructor(private readonly options: { http: ResilientHttp }) {}

  async call<T>(method: string, params: unknown[], endpoint: string = method): Promise<T> {
    const id = this.nextId++;
    const res = await this.options.http.requestJson<{
      result?: T;
      error?: { code: number; message: string; data?: unknown };
    }>({
      method: 'POST',
      path: '',
      endpoint,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    if (res.body.error)
      throw new SolanaRpcError(res.body.error.code, res.body.error.message, res.body.error.data);
    return res.body.result as T;
  }

  async getLatestBlockhash(): Promise<{ blockhash: string; lastValidBlockHeight: number }> {
    const result = await this.call<{ value: { blockhash: string; lastValidBlockHeight: number } }>(
      'getLatestBlockhash',
      [{ commitment: 'confirmed' }],
    );
    return result.value;
  }

  getBlockHeight(): Promise<number> {
    return this.call<number>('getBlockHeight', [{ commitment: 'confirmed' }]);
  }

  /** Returns the signature the node echoes (the transaction's first signature). */
  sendTransaction(base64: string, options: { skipPreflight?: boolean } = {}): Promise<string> {
    return this.call<string>('sendTransaction', [
      base64,
      {
        encoding: 'base64',
        skipPreflight: options.skipPreflight ?? false,
        preflightCommitment: 'confirmed',
        maxRetries: 0,
      },
    ]);
  }

  async getSignatureStatuses(
    signatures: readonly string[],
    searchTransactionHistory = false,
  ): Promise<(SignatureStatus | null)[]> {
    if (signatures.length > 256) throw new RangeError('getSignatureStatuses takes at most 256 signatures');
    const result = await this.call<{ value: (SignatureStatus | null)[] }>('getSignatureStatuses', [
      [...signatures],
      { searchTransactionHistory },
    ]);
    return result.value;
  }

  /**
   * A landed transaction at `confirmed` commitment, or null while the node has none (not landed yet,
   * or not yet served by this node). Version 0 transactions need `maxSupportedTransactionVersion`.
   */
  async getTransaction(signature: string): Promise<SolanaTransaction | null> {
    const result = await this.call<unknown>('getTransaction', [
      signature,
      { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 },
    ]);
    if (result === null || result === undefined) return null;
    const parsed = solanaTransactionSchema.safeParse(result);
    if (!parsed.success)
      throw new Error(
        `getTransaction ${signature}: unexpected response (${parsed.error.issues[0]?.message})`,
      );
    return parsed.data;
  }
}
