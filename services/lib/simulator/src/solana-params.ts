/**
 * Parameter checks of the Solana JSON-RPC methods the simulator serves, as a real node answers them:
 * `params` must be an array, each method has its required positions, and a pubkey must be base58
 * for 32 bytes. A failure is the JSON-RPC `-32602` message; undefined means the params are valid.
 * @module
 */
import bs58 from 'bs58';

export const INVALID_PARAMS = -32602;
export const INVALID_REQUEST = -32600;

export function isPubkey(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 32 || value.length > 44) return false;
  try {
    return bs58.decode(value).length === 32;
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** At least `min` and at most `max` positions, the optional config an object. */
function arity(params: readonly unknown[], min: number, max: number): string | undefined {
  if (params.length < min) return `Invalid params: invalid length ${params.length}, expected at least ${min}`;
  if (params.length > max) return `Invalid params: invalid length ${params.length}, expected at most ${max}`;
  if (params.length === max && params[max - 1] !== undefined && params[max - 1] !== null) {
    if (!isObject(params[max - 1])) return 'Invalid params: invalid type: expected a config object';
  }
  return undefined;
}

function pubkeyAt(params: readonly unknown[], index: number): string | undefined {
  return isPubkey(params[index]) ? undefined : 'Invalid param: Invalid pubkey';
}

const CHECKS: Readonly<Record<string, (params: readonly unknown[]) => string | undefined>> = {
  getLatestBlockhash: (p) => arity(p, 0, 1),
  getBlockHeight: (p) => arity(p, 0, 1),
  getSlot: (p) => arity(p, 0, 1),
  sendTransaction: (p) =>
    arity(p, 1, 2) ??
    (typeof p[0] === 'string' && p[0].length > 0
      ? undefined
      : 'Invalid params: expected a transaction string'),
  getSignatureStatuses: (p) =>
    arity(p, 1, 2) ??
    (Array.isArray(p[0]) && p[0].every((s) => typeof s === 'string')
      ? undefined
      : 'Invalid params: expected an array of signature strings'),
  getBalance: (p) => arity(p, 1, 2) ?? pubkeyAt(p, 0),
  getTokenAccountsByOwner: (p) => {
    const problem = arity(p, 2, 3) ?? pubkeyAt(p, 0);
    if (problem) return problem;
    const filter = p[1];
    if (!isObject(filter)) return 'Invalid params: expected a filter object {"mint"} or {"programId"}';
    const keys = Object.keys(filter);
    if (keys.length !== 1 || !['mint', 'programId'].includes(keys[0]!) || !isPubkey(filter[keys[0]!])) {
      return 'Invalid params: the filter must be {"mint": pubkey} or {"programId": pubkey}';
    }
    return undefined;
  },
};

/**
 * The `-32602` message for this call, or undefined when its params are valid (or the method is one
 * this module does not know: the handler answers `-32601` for those).
 */
export function invalidParams(method: string, params: unknown): string | undefined {
  if (params !== undefined && !Array.isArray(params)) {
    return 'Invalid params: invalid type: map, expected a sequence of positional params';
  }
  return CHECKS[method]?.(params ?? []);
}
