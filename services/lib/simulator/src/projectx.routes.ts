/**
 * ProjectX Gateway (TopstepX) subset under `/projectx/api`: POST JSON everywhere, the
 * `{success, errorCode, errorMessage}` envelope with business failures inside HTTP 200, 24 h tokens
 * with `Auth/validate`, and `customTag` unique per account.
 * @module
 */
import Decimal from 'decimal.js';
import { Router, type Request, type Response } from 'express';
import { faulted } from './fault-injection';
import { str } from './request-values';
import { averageFillPrice, type SimOrder, type SimOrderStatus } from './order-book';
import { contractById, contractByRoot, contracts, type SimContract } from './projectx-contracts';
import { PROJECTX_ACCOUNT_ID, type SimContext } from './sim-context';

export const PROJECTX_DUPLICATE_TAG_ERROR = 2;
const TOKEN_TTL_MS = 24 * 3600 * 1000;
const STATUS_CODE: Readonly<Record<SimOrderStatus, number>> = {
  pending: 6,
  open: 1,
  partially_filled: 1,
  filled: 2,
  canceled: 3,
  expired: 4,
  rejected: 5,
};
const TYPE_NAMES: Readonly<Record<number, 'limit' | 'market' | 'stop'>> = {
  1: 'limit',
  2: 'market',
  4: 'stop',
};

const ok = (payload: Record<string, unknown> = {}) => ({
  ...payload,
  success: true,
  errorCode: 0,
  errorMessage: null,
});
const fail = (errorCode: number, errorMessage: string) => ({ success: false, errorCode, errorMessage });

export function projectxOrderJson(order: SimOrder): Record<string, unknown> {
  const typeCode = Number(Object.entries(TYPE_NAMES).find(([, name]) => name === order.type)?.[0] ?? 0);
  return {
    id: order.id,
    accountId: Number(order.account),
    contractId: order.extra.contractId,
    creationTimestamp: order.createdAt,
    updateTimestamp: order.updatedAt,
    status: STATUS_CODE[order.status],
    type: typeCode,
    side: order.side === 'buy' ? 0 : 1,
    size: order.quantity.toNumber(),
    limitPrice: order.limitPrice?.toNumber() ?? null,
    stopPrice: order.stopPrice?.toNumber() ?? null,
    fillVolume: order.filled.toNumber(),
    filledPrice: averageFillPrice(order)?.toNumber() ?? null,
    customTag: order.tag ?? null,
  };
}

export interface FuturesOrderInput {
  readonly contract: SimContract;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit' | 'stop';
  readonly size: Decimal;
  readonly limitPrice?: Decimal;
  readonly stopPrice?: Decimal;
  readonly customTag?: string;
}

/** Places into the ProjectX account; shared with the Nebula relay, which trades through it. */
export function placeFuturesOrder(ctx: SimContext, input: FuturesOrderInput): SimOrder | { duplicate: true } {
  const account = String(PROJECTX_ACCOUNT_ID);
  if (input.customTag && ctx.projectx.list(account).some((o) => o.tag === input.customTag))
    return { duplicate: true };
  return ctx.projectx.place({
    account,
    instrument: input.contract.root,
    side: input.side,
    type: input.type,
    quantity: input.size,
    ...(input.limitPrice ? { limitPrice: input.limitPrice } : {}),
    ...(input.stopPrice ? { stopPrice: input.stopPrice } : {}),
    ...(input.customTag ? { tag: input.customTag } : {}),
    multiplier: new Decimal(input.contract.tickValue).div(input.contract.tickSize),
    extra: { contractId: input.contract.id },
  });
}

export function projectxRoutes(ctx: SimContext): Router {
  const router = Router();
  const tokens = new Map<string, number>();
  let issued = 0;
  const issue = () => {
    issued += 1;
    const token = `sim-projectx-token-${ctx.seed}-${issued}`;
    tokens.set(token, ctx.clock.nowMs() + TOKEN_TTL_MS);
    return token;
  };
  const f = (key: string) => ({ faults: ctx.faults, key: `projectx.${key}` });
  const authed = (req: Request, res: Response): boolean => {
    const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    const expires = token ? tokens.get(token) : undefined;
    if (expires !== undefined && expires > ctx.clock.nowMs()) return true;
    res.status(401).end();
    return false;
  };
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;
  const accountOk = (req: Request, res: Response) => {
    if (body(req).accountId === PROJECTX_ACCOUNT_ID) return true;
    res.json(fail(1, 'Invalid account ID'));
    return false;
  };

  router.post(
    '/api/Auth/loginKey',
    faulted(f('login'), (req, res) => {
      const { userName, apiKey } = body(req);
      if (typeof userName !== 'string' || typeof apiKey !== 'string' || !userName || !apiKey) {
        res.json(fail(3, 'Invalid credentials'));
        return;
      }
      res.json(ok({ token: issue() }));
    }),
  );
  router.post(
    '/api/Auth/validate',
    faulted(f('validate'), (req, res) => {
      if (!authed(req, res)) return;
      res.json(ok({ newToken: issue() }));
    }),
  );
  router.post(
    '/api/Account/search',
    faulted(f('accounts'), (req, res) => {
      if (!authed(req, res)) return;
      const balance = ctx.projectx.cashOf(String(PROJECTX_ACCOUNT_ID)).toNumber();
      res.json(
        ok({
          accounts: [
            {
              id: PROJECTX_ACCOUNT_ID,
              name: '50KTC-SIM-465',
              balance,
              canTrade: true,
              isVisible: true,
              simulated: true,
            },
          ],
        }),
      );
    }),
  );
  router.post(
    '/api/Contract/search',
    faulted(f('contracts'), (req, res) => {
      if (!authed(req, res)) return;
      const text = str(body(req).searchText, '').toUpperCase();
      const found = contracts(ctx.clock.nowMs())
        .filter((c) => c.root.includes(text) || c.id.includes(text))
        .slice(0, 20);
      res.json(ok({ contracts: found.map(({ root: _root, ...c }) => c) }));
    }),
  );
  router.post(
    '/api/Contract/searchById',
    faulted(f('contract'), (req, res) => {
      if (!authed(req, res)) return;
      const contract = contractById(ctx.clock.nowMs(), str(body(req).contractId, ''));
      if (!contract) {
        res.json(fail(1, 'Contract not found'));
        return;
      }
      const { root: _root, ...json } = contract;
      res.json(ok({ contract: json }));
    }),
  );
  router.post(
    '/api/Order/place',
    faulted(
      { ...f('place_order'), onRefusedSubmission: (req) => journalPlace(ctx, req, 'faulted', null) },
      (req, res) => {
        if (!authed(req, res) || !accountOk(req, res)) return;
        placeOrder(ctx, req, res);
      },
    ),
  );
  router.post(
    '/api/Order/cancel',
    faulted(f('cancel_order'), (req, res) => {
      if (!authed(req, res) || !accountOk(req, res)) return;
      const order = ctx.projectx.byId(String(PROJECTX_ACCOUNT_ID), Number(body(req).orderId));
      if (!order || !ctx.projectx.cancel(order)) {
        res.json(fail(1, 'Order not found or not open'));
        return;
      }
      res.json(ok());
    }),
  );
  const search = (open: boolean) => (req: Request, res: Response) => {
    if (!authed(req, res) || !accountOk(req, res)) return;
    const start = Date.parse(str(body(req).startTimestamp, '1970-01-01T00:00:00Z'));
    const orders = ctx.projectx
      .list(String(PROJECTX_ACCOUNT_ID))
      .filter((o) =>
        open ? o.status === 'open' || o.status === 'partially_filled' : Date.parse(o.createdAt) >= start,
      );
    res.json(ok({ orders: orders.map(projectxOrderJson) }));
  };
  router.post('/api/Order/search', faulted(f('order_search'), search(false)));
  router.post('/api/Order/searchOpen', faulted(f('order_search'), search(true)));
  router.post(
    '/api/Position/searchOpen',
    faulted(f('positions'), (req, res) => {
      if (!authed(req, res) || !accountOk(req, res)) return;
      const now = ctx.clock.nowMs();
      const positions = [...ctx.projectx.positionsOf(String(PROJECTX_ACCOUNT_ID)).entries()].map(
        ([root, p], i) => {
          const contract = contractByRoot(now, root)!;
          const multiplier = new Decimal(contract.tickValue).div(contract.tickSize);
          return {
            id: i + 1,
            accountId: PROJECTX_ACCOUNT_ID,
            contractId: contract.id,
            creationTimestamp: p.openedAt,
            type: p.quantity.isPositive() ? 1 : 2,
            size: p.quantity.abs().toNumber(),
            averagePrice: p.cost.div(p.quantity.abs()).div(multiplier).toDecimalPlaces(2).toNumber(),
          };
        },
      );
      res.json(ok({ positions }));
    }),
  );
  return router;
}

function journalPlace(
  ctx: SimContext,
  req: Request,
  outcome: 'accepted' | 'rejected' | 'duplicate' | 'faulted',
  id: number | null,
): void {
  const b = (req.body ?? {}) as Record<string, unknown>;
  ctx.journal.record({
    venue: 'projectx',
    endpoint: 'place_order',
    tick: ctx.clock.tick,
    clientOrderId: typeof b.customTag === 'string' ? b.customTag : null,
    outcome,
    venueOrderId: id === null ? null : String(id),
    request: b,
  });
}

/** Business failures of `Order/place` other than a duplicate tag (which the venue adapters key on). */
export const PROJECTX_INVALID_ORDER_ERROR = 1;
/** The most contracts one order may carry; the gateway's `size` is a C# int, an account far less. */
export const PROJECTX_MAX_ORDER_SIZE = 1000;

/**
 * `size` is a JSON int and prices JSON decimals or null, as the gateway's typed model binds them: a
 * string "1" or 1e20 is refused, not coerced. A price, when given, must be positive and finite.
 */
function priceField(value: unknown, name: string): { price?: Decimal; problem?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return { problem: `Invalid ${name}: must be a positive number` };
  }
  return { price: new Decimal(value) };
}

function orderProblem(
  b: Record<string, unknown>,
  contract: SimContract | undefined,
  type: string | undefined,
  prices: { limit: ReturnType<typeof priceField>; stop: ReturnType<typeof priceField> },
): string | undefined {
  if (!contract) return 'Invalid contract';
  if (!type) return 'Unsupported order type';
  if (b.side !== 0 && b.side !== 1) return 'Invalid side';
  if (typeof b.size !== 'number' || !Number.isSafeInteger(b.size) || b.size <= 0) return 'Invalid size';
  if (b.size > PROJECTX_MAX_ORDER_SIZE) return `Invalid size: at most ${PROJECTX_MAX_ORDER_SIZE} contracts`;
  if (prices.limit.problem ?? prices.stop.problem) return prices.limit.problem ?? prices.stop.problem;
  if (type === 'limit' && !prices.limit.price) return 'Limit price required';
  if (type === 'stop' && !prices.stop.price) return 'Stop price required';
  if (b.customTag !== undefined && b.customTag !== null && typeof b.customTag !== 'string') {
    return 'Invalid customTag';
  }
  return undefined;
}

function placeOrder(ctx: SimContext, req: Request, res: Response): void {
  const b = (req.body ?? {}) as Record<string, unknown>;
  const contract = contractById(ctx.clock.nowMs(), str(b.contractId, ''));
  const type = typeof b.type === 'number' ? TYPE_NAMES[b.type] : undefined;
  const prices = {
    limit: priceField(b.limitPrice, 'limitPrice'),
    stop: priceField(b.stopPrice, 'stopPrice'),
  };
  const problem = orderProblem(b, contract, type, prices);
  if (problem || !contract || !type || typeof b.size !== 'number') {
    journalPlace(ctx, req, 'rejected', null);
    res.json(fail(PROJECTX_INVALID_ORDER_ERROR, problem ?? 'Invalid order'));
    return;
  }
  const size = b.size;
  const limitPrice = prices.limit.price;
  const stopPrice = prices.stop.price;
  const result = placeFuturesOrder(ctx, {
    contract,
    type,
    side: b.side === 0 ? 'buy' : 'sell',
    size: new Decimal(size),
    ...(limitPrice ? { limitPrice } : {}),
    ...(stopPrice ? { stopPrice } : {}),
    ...(typeof b.customTag === 'string' && b.customTag ? { customTag: b.customTag } : {}),
  });
  if ('duplicate' in result) {
    journalPlace(ctx, req, 'duplicate', null);
    res.json(fail(PROJECTX_DUPLICATE_TAG_ERROR, 'customTag must be unique across the account'));
    return;
  }
  journalPlace(ctx, req, 'accepted', result.id);
  res.json(ok({ orderId: result.id }));
}
