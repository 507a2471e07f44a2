/**
 * Each swap's priority fee: the configured base plus a per-order offset taken from a hash of the
 * client order id. Two orders for the same pair and amount, quoted within the same blockhash, would
 * otherwise get byte-identical transactions from Jupiter — one signature for two orders, so the
 * second could never be stored or sent. The offset makes each order's transaction its own, and is
 * deterministic: re-deriving it for the same id always gives the same fee.
 *
 * Why a hash first: it costs no extra round trip, needs no coordination between processes, and the
 * fee can be recomputed from the id alone. Two identical orders in one blockhash window still share a
 * fee with probability 1 / PRIORITY_FEE_SPREAD_LAMPORTS; then the store refuses the second order's
 * record (`SignatureTakenError`) and the venue swaps once more with a lamport more (crypto.venue.ts).
 * Only a second refusal reaches the last guard: the order is refused, nothing sent, and retried.
 * @module
 */
import { createHash } from 'node:crypto';

/** The base when none is configured: what Jupiter's `"auto"` resolved to on the simulated chain. */
export const DEFAULT_PRIORITY_FEE_LAMPORTS = 5_000;
/**
 * Offsets are 0 .. spread-1 lamports (at most 0.000001 SOL above the base). Jupiter turns the fee
 * into a compute unit price rounded down over the transaction's compute unit limit; below a million
 * units (a swap uses a few hundred thousand) each whole lamport is a distinct price, so distinct
 * offsets stay distinct bytes.
 */
export const PRIORITY_FEE_SPREAD_LAMPORTS = 1_000;

/** The priority fee, in lamports, of the swap for `clientOrderId`. */
export function orderPriorityFeeLamports(baseLamports: number, clientOrderId: string): number {
  if (!Number.isSafeInteger(baseLamports) || baseLamports < 0)
    throw new RangeError(`priority fee base ${baseLamports} is not a non-negative integer`);
  const digest = createHash('sha256').update(clientOrderId, 'utf8').digest();
  return baseLamports + (digest.readUInt32BE(0) % PRIORITY_FEE_SPREAD_LAMPORTS);
}
