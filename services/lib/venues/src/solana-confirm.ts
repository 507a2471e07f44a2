/**
 * Send and confirm, per the reference algorithm:
 * 1. the caller's `persist` hook stores {signature, lastValidBlockHeight, raw bytes} BEFORE the first
 *    send, so a crash after sending can always be reconciled;
 * 2. the same bytes are resent every `resendIntervalMs` while the signature status is polled every
 *    `pollIntervalMs` (a slot, 400 ms: a transaction confirms in about a second, and a worker that
 *    looked only at each resend would hold its slot for two);
 * 3. confirmed/finalized with `err == null` is success; a landed transaction with `err` failed
 *    on-chain (fees paid, swap not done);
 * 4. only when the block height has passed `lastValidBlockHeight` AND a history search returns
 *    null is the transaction dead — then, and only then, may the caller re-quote and re-sign.
 * @module
 */
import { realSleep, type Logger, type Sleep } from '@atc/platform';
import { SolanaRpcError, type SolanaRpcClient } from './solana-rpc.client';

export interface PendingTransaction {
  readonly signature: string;
  readonly base64: string;
  readonly lastValidBlockHeight: number;
}

export type ConfirmationOutcome =
  | { readonly state: 'confirmed'; readonly slot: number }
  | { readonly state: 'failed'; readonly err: unknown; readonly slot: number }
  | { readonly state: 'expired' };

export type SignatureState = ConfirmationOutcome | { readonly state: 'pending' };

export interface ConfirmOptions {
  readonly rpc: SolanaRpcClient;
  readonly transaction: PendingTransaction;
  /** Must durably store the transaction before it is sent; a failure here aborts before any send. */
  readonly persist: (transaction: PendingTransaction) => Promise<void>;
  readonly resendIntervalMs?: number;
  /** How often the status is checked between resends; default 400 ms, never more than the resend interval. */
  readonly pollIntervalMs?: number;
  readonly sleep?: Sleep;
  readonly logger?: Logger;
  /** Upper bound on status checks, a guard against a node that never advances. */
  readonly maxRounds?: number;
}

/** One look at a signature: the reconciler calls this for persisted signatures after a restart. */
export async function checkSignature(
  rpc: SolanaRpcClient,
  transaction: Omit<PendingTransaction, 'base64'>,
): Promise<SignatureState> {
  const [status] = await rpc.getSignatureStatuses([transaction.signature]);
  const landed = landedState(status);
  if (landed) return landed;
  const height = await rpc.getBlockHeight();
  if (height <= transaction.lastValidBlockHeight) return { state: 'pending' };
  // Past expiry: only a null answer from a full history search proves it never landed.
  const [history] = await rpc.getSignatureStatuses([transaction.signature], true);
  return landedState(history) ?? { state: 'expired' };
}

function landedState(
  status: Awaited<ReturnType<SolanaRpcClient['getSignatureStatuses']>>[number] | undefined,
): ConfirmationOutcome | undefined {
  if (!status) return undefined;
  if (status.err !== null && status.err !== undefined)
    return { state: 'failed', err: status.err, slot: status.slot };
  if (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized') {
    return { state: 'confirmed', slot: status.slot };
  }
  return undefined;
}

export async function sendAndConfirm(options: ConfirmOptions): Promise<ConfirmationOutcome> {
  const { rpc, transaction } = options;
  const sleep = options.sleep ?? realSleep;
  await options.persist(transaction);
  const resendIntervalMs = options.resendIntervalMs ?? 2_000;
  const pollIntervalMs = Math.min(options.pollIntervalMs ?? 400, resendIntervalMs);
  const roundsPerResend = Math.max(1, Math.round(resendIntervalMs / pollIntervalMs));
  for (let round = 0; round < (options.maxRounds ?? 5_000); round += 1) {
    if (round % roundsPerResend === 0) await send(options, round);
    const state = await checkSignature(rpc, transaction);
    if (state.state !== 'pending') return state;
    await sleep(pollIntervalMs);
  }
  throw new Error(
    `signature ${transaction.signature} still pending after the polling limit; reconcile it later`,
  );
}

/** One send of the stored bytes; a refusal is answered by the status check that follows, not by giving up. */
async function send(options: ConfirmOptions, round: number): Promise<void> {
  const { rpc, transaction } = options;
  try {
    await rpc.sendTransaction(transaction.base64, { skipPreflight: round > 0 });
  } catch (error) {
    if (!(error instanceof SolanaRpcError)) {
      options.logger?.warn(
        { err: error, signature: transaction.signature },
        'resend failed; still polling the signature',
      );
    } else if (!error.isBlockhashNotFound) {
      options.logger?.warn(
        { code: error.rpcCode, signature: transaction.signature },
        'node refused the transaction; still polling',
      );
    }
  }
}
