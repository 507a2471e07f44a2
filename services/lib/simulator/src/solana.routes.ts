/**
 * Solana JSON-RPC 2.0 under `/solana`: getLatestBlockhash, getBlockHeight, sendTransaction (base64),
 * getSignatureStatuses, getTransaction (json or jsonParsed, version 0), getBalance,
 * getTokenAccountsByOwner (jsonParsed). Faults are keyed by method,
 * `solana.sendTransaction`; `solana.drop_transaction` with `failNext` drops the next sends silently
 * (accepted, never landing), which is how a transaction expires in tests.
 * @module
 */
import { Router, type Request, type Response } from 'express';
import { faulted } from './fault-injection';
import { str } from './request-values';
import { invalidParams, INVALID_PARAMS, INVALID_REQUEST } from './solana-params';
import { tokenByMint } from './instruments';
import type { SimContext } from './sim-context';
import type { SolanaLedger } from './solana-ledger';
import { transactionResponse } from './solana-transactions';

interface RpcRequest {
  readonly jsonrpc?: string;
  readonly id?: unknown;
  readonly method?: string;
  readonly params?: unknown;
}

const FINALIZED_AFTER_TICKS = 32;

export function solanaRoutes(ctx: SimContext, ledger: SolanaLedger): Router {
  const router = Router();
  const result = (id: unknown, value: unknown) => ({ jsonrpc: '2.0', id, result: value });
  const error = (id: unknown, code: number, message: string, data?: unknown) => ({
    jsonrpc: '2.0',
    id,
    error: { code, message, ...(data === undefined ? {} : { data }) },
  });
  const context = () => ({ slot: ctx.clock.slot(), apiVersion: '2.2.0' });

  const handle = (request: unknown): unknown => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return error(null, INVALID_REQUEST, 'Invalid request');
    }
    const rpc = request as RpcRequest;
    if (rpc.jsonrpc !== '2.0' || typeof rpc.method !== 'string') {
      return error(rpc.id ?? null, INVALID_REQUEST, 'Invalid request');
    }
    // Validated the way a node does, before the method runs: a bad call is -32602, never a 500.
    const invalid = invalidParams(rpc.method, rpc.params);
    if (invalid) return error(rpc.id, INVALID_PARAMS, invalid);
    const params = (rpc.params ?? []) as unknown[];
    switch (rpc.method) {
      case 'getLatestBlockhash':
        return result(rpc.id, { context: context(), value: ledger.latestBlockhash() });
      case 'getBlockHeight':
        return result(rpc.id, ctx.clock.blockHeight());
      case 'getSlot':
        return result(rpc.id, ctx.clock.slot());
      case 'sendTransaction': {
        const [raw, config] = params as [unknown, { encoding?: string; skipPreflight?: boolean } | undefined];
        if (typeof raw !== 'string' || config?.encoding !== 'base64') {
          return error(rpc.id, -32602, 'invalid params: send a base64 transaction with encoding "base64"');
        }
        const drop = ctx.faults.blockFor('solana.drop_transaction') !== undefined;
        const sent = ledger.send(raw, config.skipPreflight === true, drop);
        ctx.journal.record({
          venue: 'solana',
          endpoint: 'sendTransaction',
          tick: ctx.clock.tick,
          clientOrderId: sent.ok ? sent.signature : null,
          outcome: sent.ok ? (sent.duplicate ? 'duplicate' : 'accepted') : 'rejected',
          venueOrderId: sent.ok ? sent.signature : null,
          request: { encoding: config.encoding, skipPreflight: config.skipPreflight ?? false },
        });
        return sent.ok ? result(rpc.id, sent.signature) : error(rpc.id, sent.code, sent.message, sent.data);
      }
      case 'getSignatureStatuses': {
        const signatures = Array.isArray(params[0]) ? (params[0] as unknown[]).map(String) : [];
        if (signatures.length > 256) return error(rpc.id, -32602, 'Too many inputs provided; max 256');
        const value = signatures.map((signature) => {
          const tx = ledger.status(signature);
          if (!tx || tx.landedTick === null) return null;
          const age = ctx.clock.tick - tx.landedTick;
          const finalized = age >= FINALIZED_AFTER_TICKS;
          return {
            slot: tx.landedSlot,
            confirmations: finalized ? null : age,
            err: tx.err,
            status: tx.err === null ? { Ok: null } : { Err: tx.err },
            confirmationStatus: finalized ? 'finalized' : 'confirmed',
          };
        });
        return result(rpc.id, { context: context(), value });
      }
      case 'getTransaction': {
        const [signature, config] = params as [unknown, Record<string, unknown> | undefined];
        const encoding = config?.encoding ?? 'json';
        if (typeof signature !== 'string' || (encoding !== 'json' && encoding !== 'jsonParsed')) {
          return error(rpc.id, -32602, 'invalid params: a signature and encoding "json" or "jsonParsed"');
        }
        if (typeof config?.maxSupportedTransactionVersion !== 'number') {
          return error(
            rpc.id,
            -32015,
            'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
          );
        }
        const landed = ledger.status(signature)?.landed;
        return result(rpc.id, landed ? transactionResponse(landed, encoding) : null);
      }
      case 'getBalance': {
        const balances = ledger.balancesOf(str(params[0], ''));
        return result(rpc.id, {
          context: context(),
          value: Number(balances.get('So11111111111111111111111111111111111111112') ?? 0n),
        });
      }
      case 'getTokenAccountsByOwner': {
        const owner = str(params[0], '');
        const value = [...ledger.balancesOf(owner).entries()].map(([mint, amount], i) => {
          const decimals = tokenByMint(mint)?.decimals ?? 0;
          const ui = (Number(amount) / 10 ** decimals).toString();
          return {
            pubkey: `${owner.slice(0, 20)}${String(i).padStart(4, '0')}`,
            account: {
              data: {
                parsed: {
                  info: {
                    mint,
                    owner,
                    tokenAmount: { amount: amount.toString(), decimals, uiAmountString: ui },
                  },
                  type: 'account',
                },
                program: 'spl-token',
              },
            },
          };
        });
        return result(rpc.id, { context: context(), value });
      }
      default:
        return error(rpc.id, -32601, 'Method not found');
    }
  };

  router.post('/', (req: Request, res: Response, next) => {
    const body = req.body as unknown;
    if (Array.isArray(body)) {
      res.json(body.map(handle));
      return;
    }
    const method = (body as RpcRequest | null)?.method;
    const key = `solana.${typeof method === 'string' ? method : 'unknown'}`;
    const run = faulted({ faults: ctx.faults, key }, (_req, response) => {
      response.json(handle(body));
    });
    return run(req, res, next);
  });
  return router;
}
