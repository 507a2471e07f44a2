import { PublicKey } from '@solana/web3.js';
import { Router, type Request, type Response, type NextFunction } from 'express';
import { faulted } from './fault-injection';
import { str } from './request-values';
import { INSTRUMENTS, tokenByMint } from './instruments';
import type { SimContext } from './sim-context';
import { priceImpact, swapOutAmount, type SolanaLedger } from './solana-ledger';
import {
  AUTO_PRIORITY_FEE_LAMPORTS,
  computeUnitPriceMicroLamports,
  SWAP_COMPUTE_UNIT_LIMIT,
} from './solana-fees';

/** Jupiter swap v1 (`quote`, `swap`) and price v3 under `/jupiter`; every call needs `x-api-key`. */
export function jupiterRoutes(ctx: SimContext, ledger: SolanaLedger): Router {
  const router = Router();
  const f = (key: string) => ({ faults: ctx.faults, key: `jupiter.${key}` });

  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.get('x-api-key')) {
      res.status(401).json({ error: 'Unauthorized: missing x-api-key' });
      return;
    }
    next();
  });

  router.get(
    '/swap/v1/quote',
    faulted(f('quote'), (req, res) => {
      const inputMint = str(req.query.inputMint, '');
      const outputMint = str(req.query.outputMint, '');
      const amount = str(req.query.amount, '');
      const slippageBps = req.query.slippageBps === undefined ? 50 : Number(req.query.slippageBps);
      if (
        !inputMint ||
        !outputMint ||
        !/^[1-9]\d*$/.test(amount) ||
        !Number.isInteger(slippageBps) ||
        slippageBps < 0 ||
        slippageBps > 10_000
      ) {
        res
          .status(400)
          .json({ error: 'Query parameter amount, inputMint, outputMint or slippageBps is invalid' });
        return;
      }
      const out = swapOutAmount(ctx, inputMint, outputMint, BigInt(amount));
      if (out === undefined || out <= 0n) {
        res.status(400).json({ error: 'Could not find any route', errorCode: 'COULD_NOT_FIND_ANY_ROUTE' });
        return;
      }
      const threshold = (out * BigInt(10_000 - slippageBps)) / 10_000n;
      res.json({
        inputMint,
        inAmount: amount,
        outputMint,
        outAmount: out.toString(),
        otherAmountThreshold: threshold.toString(),
        swapMode: 'ExactIn',
        slippageBps,
        platformFee: null,
        priceImpactPct: priceImpact(ctx, inputMint, BigInt(amount)).toFixed(6),
        routePlan: [
          {
            swapInfo: {
              ammKey: '5BUwFW4nRbftYTDMbgxykoFWqWHPzahFSNAaaaJtVKsq',
              label: 'Simulated AMM',
              inputMint,
              outputMint,
              inAmount: amount,
              outAmount: out.toString(),
            },
            percent: 100,
            bps: 10_000,
          },
        ],
        contextSlot: ctx.clock.slot(),
        timeTaken: 0.001,
      });
    }),
  );

  router.post(
    '/swap/v1/swap',
    faulted(f('swap'), (req, res) => {
      const body = (req.body ?? {}) as {
        quoteResponse?: Record<string, unknown>;
        userPublicKey?: unknown;
        prioritizationFeeLamports?: unknown;
      };
      const quote = body.quoteResponse;
      const priorityFee = priorityFeeLamports(body.prioritizationFeeLamports);
      if (priorityFee === undefined) {
        res.status(400).json({
          error:
            'prioritizationFeeLamports must be "auto", a non-negative integer or priorityLevelWithMaxLamports',
        });
        return;
      }
      let owner: PublicKey;
      try {
        owner = new PublicKey(str(body.userPublicKey, ''));
      } catch {
        res.status(400).json({ error: 'userPublicKey is invalid' });
        return;
      }
      if (
        !quote ||
        typeof quote.inputMint !== 'string' ||
        typeof quote.outputMint !== 'string' ||
        typeof quote.inAmount !== 'string' ||
        typeof quote.otherAmountThreshold !== 'string'
      ) {
        res.status(400).json({ error: 'quoteResponse is required' });
        return;
      }
      const built = ledger.buildSwapTransaction(
        owner,
        {
          inputMint: quote.inputMint,
          outputMint: quote.outputMint,
          inAmount: quote.inAmount,
          otherAmountThreshold: quote.otherAmountThreshold,
        },
        priorityFee,
      );
      const microLamports = Number(computeUnitPriceMicroLamports(priorityFee));
      res.json({
        swapTransaction: built.base64,
        lastValidBlockHeight: built.lastValidBlockHeight,
        prioritizationFeeLamports: priorityFee,
        computeUnitLimit: SWAP_COMPUTE_UNIT_LIMIT,
        prioritizationType: { computeBudget: { microLamports, estimatedMicroLamports: microLamports } },
        dynamicSlippageReport: null,
        simulationError: null,
      });
    }),
  );

  router.get(
    '/price/v3',
    faulted(f('price'), (req, res) => {
      const ids = str(req.query.ids, '').split(',').filter(Boolean).slice(0, 50);
      const out: Record<string, unknown> = {};
      for (const id of ids) {
        const spec = tokenByMint(id);
        // Tokens without a price are omitted, like the real API.
        if (!spec) continue;
        const now = ctx.market.price(spec.symbol);
        const dayAgo = ctx.market.price(spec.symbol, Math.max(0, ctx.clock.tick - 86_400));
        out[id] = {
          usdPrice: Number(now.toPrecision(10)),
          blockId: ctx.clock.slot(),
          decimals: spec.decimals,
          priceChange24h: Number((((now - dayAgo) / dayAgo) * 100).toFixed(4)),
          liquidity: 500_000_000,
          createdAt: '2024-06-05T08:55:25.527Z',
        };
      }
      res.json(out);
    }),
  );
  return router;
}

/**
 * The lamports of priority fee a swap request asks for: `"auto"` (the default) is the simulated
 * chain's going rate, an integer is taken as is, `priorityLevelWithMaxLamports` is the going rate
 * capped at its maximum. Jito tips are not simulated. Undefined when the value is none of these.
 */
function priorityFeeLamports(value: unknown): number | undefined {
  if (value === undefined || value === 'auto') return AUTO_PRIORITY_FEE_LAMPORTS;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const level: unknown = (value as Record<string, unknown>).priorityLevelWithMaxLamports;
  const max =
    typeof level === 'object' && level !== null ? (level as Record<string, unknown>).maxLamports : undefined;
  if (typeof max === 'number' && Number.isSafeInteger(max) && max >= 0)
    return Math.min(max, AUTO_PRIORITY_FEE_LAMPORTS);
  return undefined;
}

export const KNOWN_TOKENS = INSTRUMENTS.filter((i) => i.mint);
