/**
 * The Nebula webhook relay under `/nebula`: `POST /webhook/tv` with the previous system's JSON body,
 * answered by a bare HTTP 200 and no order id (the real relay has no status API), and the futures
 * price relay `GET /api/futures/prices`. The relay trades through the ProjectX account, with the
 * `Idempotency-Key` header as the order's customTag, so reconciliation can find webhook orders there.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import Decimal from 'decimal.js';
import { Router } from 'express';
import { faulted } from './fault-injection';
import { str } from './request-values';
import { FUTURES_ROOTS } from './instruments';
import { contractByRoot, type SimContract } from './projectx-contracts';
import { placeFuturesOrder } from './projectx.routes';
import { PROJECTX_ACCOUNT_ID, type SimContext } from './sim-context';

export const DEFAULT_NEBULA_KEY = 'sim-nebula-key';

function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function nebulaRoutes(ctx: SimContext, webhookKey: string = DEFAULT_NEBULA_KEY): Router {
  const router = Router();
  const journal = (
    body: unknown,
    idempotencyKey: string | undefined,
    outcome: 'accepted' | 'rejected' | 'duplicate' | 'faulted',
    id: number | null,
  ) => {
    // The secret is never stored, even in the simulator's journal.
    const { key: _key, ...request } = (body ?? {}) as Record<string, unknown>;
    ctx.journal.record({
      venue: 'nebula',
      endpoint: 'webhook',
      tick: ctx.clock.tick,
      clientOrderId: idempotencyKey ?? null,
      outcome,
      venueOrderId: id === null ? null : String(id),
      request,
    });
  };

  router.post(
    '/webhook/tv',
    faulted(
      {
        faults: ctx.faults,
        key: 'nebula.webhook',
        onRefusedSubmission: (req) => journal(req.body, req.get('idempotency-key'), 'faulted', null),
      },
      (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const given = req.get('x-webhook-key') ?? (typeof body.key === 'string' ? body.key : undefined);
        if (!secretMatches(given, webhookKey)) {
          res.status(401).type('text/plain').send('invalid key');
          return;
        }
        const idempotencyKey = req.get('idempotency-key');
        const contract = contractByRoot(ctx.clock.nowMs(), str(body.symbol, ''));
        const side = body.side;
        const size = Number(body.size);
        if (
          !contract ||
          (side !== 'buy' && side !== 'sell' && side !== 'flatten') ||
          (side !== 'flatten' && (!Number.isInteger(size) || size <= 0))
        ) {
          journal(body, idempotencyKey, 'rejected', null);
          res.status(422).type('text/plain').send('invalid alert');
          return;
        }
        const order =
          side === 'flatten'
            ? flatten(ctx, contract, idempotencyKey)
            : placeFuturesOrder(ctx, {
                contract,
                side,
                type: body.orderType === 'limit' ? 'limit' : body.orderType === 'stop' ? 'stop' : 'market',
                size: new Decimal(size),
                ...(body.limitPrice !== undefined ? { limitPrice: new Decimal(str(body.limitPrice)) } : {}),
                ...(body.stopPrice !== undefined ? { stopPrice: new Decimal(str(body.stopPrice)) } : {}),
                ...(idempotencyKey ? { customTag: idempotencyKey } : {}),
              });
        const duplicate = order !== undefined && 'duplicate' in order;
        journal(
          body,
          idempotencyKey,
          duplicate ? 'duplicate' : 'accepted',
          order && !('duplicate' in order) ? order.id : null,
        );
        // Like the relay: 200 and an opaque body, whatever happened downstream.
        res.status(200).type('text/plain').send('ok');
      },
    ),
  );

  router.get(
    '/api/futures/prices',
    faulted({ faults: ctx.faults, key: 'nebula.prices' }, (req, res) => {
      const raw = str(req.query.symbols ?? req.query.symbol, FUTURES_ROOTS.join(','));
      const out: Record<string, unknown> = {};
      for (const symbol of raw.split(',').map((s) => s.trim().toUpperCase())) {
        if (!(FUTURES_ROOTS as readonly string[]).includes(symbol)) continue;
        const q = ctx.market.quote(symbol);
        out[symbol] = {
          last: q.last,
          bid: q.bid,
          ask: q.ask,
          change: Number((q.last - q.prevClose).toFixed(2)),
        };
      }
      res.json(out);
    }),
  );
  return router;
}

function flatten(ctx: SimContext, contract: SimContract, customTag: string | undefined) {
  const position = ctx.projectx.positionsOf(String(PROJECTX_ACCOUNT_ID)).get(contract.root);
  if (!position) return undefined;
  return placeFuturesOrder(ctx, {
    contract,
    side: position.quantity.isPositive() ? 'sell' : 'buy',
    type: 'market',
    size: position.quantity.abs(),
    ...(customTag ? { customTag } : {}),
  });
}
