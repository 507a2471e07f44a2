import Decimal from 'decimal.js';
import { Router, type Request, type Response } from 'express';
import { faulted } from './fault-injection';
import { str } from './request-values';
import { instrument } from './instruments';
import { expirations, occSymbol, parseOccSymbol, strikes } from './option-pricing';
import type { SimOrder } from './order-book';
import { balancesJson, quoteJson } from './tradier-market-data';
import { touchQuote, TRADIER_ACCOUNT, type SimContext } from './sim-context';
import { collection, SIDES, TRADIER_TAG, tradierErrors, tradierOrderJson, xmlAnswer } from './tradier-format';

/** Tradier brokerage API subset under `/tradier/v1`. */
export function tradierRoutes(ctx: SimContext): Router {
  const router = Router();
  const f = (key: string) => ({ faults: ctx.faults, key: `tradier.${key}` });
  let windowStart = 0;
  let used = 0;

  router.use((req, res, next) => {
    if (!/^Bearer \S+/.test(req.get('authorization') ?? '')) {
      res.status(401).type('text/plain').send('Invalid Access Token');
      return;
    }
    if (!(req.get('accept') ?? '').includes('application/json')) {
      res.status(200).type('application/xml').send(xmlAnswer());
      return;
    }
    // Rate-limit headers on every answer, windows of one simulated minute from the first request.
    if (ctx.clock.nowMs() - windowStart >= 60_000) {
      windowStart = ctx.clock.nowMs();
      used = 0;
    }
    used += 1;
    res.setHeader('X-Ratelimit-Allowed', '120');
    res.setHeader('X-Ratelimit-Used', String(used));
    res.setHeader('X-Ratelimit-Available', String(Math.max(0, 120 - used)));
    res.setHeader('X-Ratelimit-Expiry', String(windowStart + 60_000));
    next();
  });

  router.get(
    '/v1/user/profile',
    faulted(f('profile'), (_req, res) => {
      res.json({
        profile: {
          id: 'id-sim-0001',
          name: 'Simulated Trader',
          account: {
            account_number: TRADIER_ACCOUNT,
            classification: 'individual',
            status: 'active',
            type: 'margin',
          },
        },
      });
    }),
  );

  const quotes = (req: Request, res: Response) => {
    const raw = str(
      req.method === 'POST' ? (req.body as Record<string, unknown>).symbols : req.query.symbols,
    );
    const symbols = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const found: unknown[] = [];
    const unmatched: string[] = [];
    for (const symbol of symbols) {
      const quote = quoteJson(ctx, symbol);
      if (quote) found.push(quote);
      else unmatched.push(symbol);
    }
    const body: Record<string, unknown> =
      found.length === 0 ? {} : (collection(found, 'quote') as Record<string, unknown>);
    if (unmatched.length > 0) body.unmatched_symbols = collection(unmatched, 'symbol');
    res.json({ quotes: Object.keys(body).length === 0 ? 'null' : body });
  };
  router.get('/v1/markets/quotes', faulted(f('quotes'), quotes));
  router.post('/v1/markets/quotes', faulted(f('quotes'), quotes));

  router.get(
    '/v1/markets/options/expirations',
    faulted(f('expirations'), (req, res) => {
      const symbol = str(req.query.symbol, '').toUpperCase();
      if (instrument(symbol)?.kind !== 'equity') {
        res.json({ expirations: null });
        return;
      }
      const dates = expirations(ctx.clock.nowMs());
      if (req.query.strikes === 'true') {
        const list = strikes(ctx.market.price(symbol));
        res.json({
          expirations: collection(
            dates.map((date) => ({ date, strikes: { strike: list } })),
            'expiration',
          ),
        });
        return;
      }
      res.json({ expirations: { date: dates.length === 1 ? dates[0] : dates } });
    }),
  );

  router.get(
    '/v1/markets/options/chains',
    faulted(f('chains'), (req, res) => {
      const symbol = str(req.query.symbol, '').toUpperCase();
      const expiration = str(req.query.expiration, '');
      if (!symbol || !/^\d{4}-\d{2}-\d{2}$/.test(expiration)) {
        res.status(400).json(tradierErrors('symbol and expiration are required'));
        return;
      }
      if (instrument(symbol)?.kind !== 'equity' || !expirations(ctx.clock.nowMs()).includes(expiration)) {
        res.json({ options: 'null' });
        return;
      }
      const greeks = req.query.greeks === 'true';
      const options = strikes(ctx.market.price(symbol)).flatMap((strike) =>
        (['call', 'put'] as const).map((kind) =>
          quoteJson(ctx, occSymbol(symbol, expiration, kind, strike), greeks),
        ),
      );
      res.json({ options: collection(options, 'option') });
    }),
  );

  const account = (req: Request, res: Response): boolean => {
    if (req.params.accountId === TRADIER_ACCOUNT) return true;
    res.status(400).json(tradierErrors(`Invalid account: ${String(req.params.accountId)}`));
    return false;
  };

  router.get(
    '/v1/accounts/:accountId/balances',
    faulted(f('balances'), (req, res) => {
      if (!account(req, res)) return;
      res.json({ balances: balancesJson(ctx) });
    }),
  );

  router.get(
    '/v1/accounts/:accountId/positions',
    faulted(f('positions'), (req, res) => {
      if (!account(req, res)) return;
      const list = [...ctx.tradier.positionsOf(TRADIER_ACCOUNT).entries()].map(([symbol, p], i) => ({
        cost_basis: p.cost.toDecimalPlaces(2).toNumber(),
        date_acquired: p.openedAt,
        id: 266_353 + i,
        quantity: p.quantity.toNumber(),
        symbol,
      }));
      res.json({ positions: collection(list, 'position') });
    }),
  );

  router.get(
    '/v1/accounts/:accountId/orders',
    faulted(f('orders'), (req, res) => {
      if (!account(req, res)) return;
      const tags = req.query.includeTags === 'true';
      const list = ctx.tradier.list(TRADIER_ACCOUNT).map((o) => tradierOrderJson(o, tags));
      res.json({ orders: collection(list, 'order') });
    }),
  );

  router.get(
    '/v1/accounts/:accountId/orders/:orderId',
    faulted(f('order'), (req, res) => {
      if (!account(req, res)) return;
      const order = ctx.tradier.byId(TRADIER_ACCOUNT, Number(req.params.orderId));
      if (!order) {
        res.status(404).json(tradierErrors('Order not found'));
        return;
      }
      res.json({ order: tradierOrderJson(order, req.query.includeTags === 'true') });
    }),
  );

  router.delete(
    '/v1/accounts/:accountId/orders/:orderId',
    faulted(f('cancel_order'), (req, res) => {
      if (!account(req, res)) return;
      const order = ctx.tradier.byId(TRADIER_ACCOUNT, Number(req.params.orderId));
      if (!order || !ctx.tradier.cancel(order)) {
        // A downstream rejection: HTTP 200 with an errors body.
        res.json(tradierErrors('Order cannot be canceled: it is not open'));
        return;
      }
      res.json({ order: { id: order.id, status: 'ok' } });
    }),
  );

  router.post(
    '/v1/accounts/:accountId/orders',
    faulted(
      {
        ...f('place_order'),
        onRefusedSubmission: (req) => journal(ctx, req, 'faulted', null),
      },
      (req, res) => {
        if (!account(req, res)) return;
        placeOrder(ctx, req, res);
      },
    ),
  );
  return router;
}

function journal(
  ctx: SimContext,
  req: Request,
  outcome: 'accepted' | 'rejected' | 'faulted',
  order: SimOrder | null,
): void {
  const body = req.body as Record<string, unknown>;
  ctx.journal.record({
    venue: 'tradier',
    endpoint: 'place_order',
    tick: ctx.clock.tick,
    clientOrderId: typeof body.tag === 'string' ? body.tag : null,
    outcome,
    venueOrderId: order ? String(order.id) : null,
    request: body,
  });
}

/** A positive price as Tradier's form fields carry it: digits, an optional fraction, not zero. */
const POSITIVE_PRICE = /^(?=.*[1-9])\d{1,9}(\.\d{1,6})?$/;
const MAX_QUANTITY = 1_000_000;

function validate(body: Record<string, unknown>): string[] {
  // Form fields are strings; a JSON body with numbers or objects is not what Tradier accepts.
  const nonText = Object.entries(body).filter(([, value]) => typeof value !== 'string');
  if (nonText.length > 0) return nonText.map(([key]) => `${key} is invalid`);
  return validateFields(body as Record<string, string | undefined>);
}

function validateFields(body: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const cls = body.class ?? '';
  if (!['equity', 'option'].includes(cls)) problems.push(`class ${cls || '(missing)'} is not supported`);
  if (!body.symbol || !instrument(body.symbol))
    problems.push(`Invalid parameter, ${body.symbol ?? ''}: symbol not found.`);
  if (cls === 'option' && !parseOccSymbol(body.option_symbol ?? ''))
    problems.push('option_symbol is invalid');
  if (!(SIDES[cls] ?? []).includes(body.side ?? '')) problems.push(`side is invalid for class ${cls}`);
  if (!/^[1-9]\d{0,6}$/.test(body.quantity ?? '') || Number(body.quantity) > MAX_QUANTITY)
    problems.push(`quantity must be a positive integer up to ${MAX_QUANTITY}`);
  if (!['market', 'limit', 'stop'].includes(body.type ?? ''))
    problems.push(`type is invalid for class ${cls}`);
  if (!['day', 'gtc', 'pre', 'post'].includes(body.duration ?? '')) problems.push('duration is invalid');
  if (body.type === 'limit' && !POSITIVE_PRICE.test(body.price ?? ''))
    problems.push('price is required for limit orders and must be positive');
  if (body.type === 'stop' && !POSITIVE_PRICE.test(body.stop ?? ''))
    problems.push('stop is required for stop orders and must be positive');
  if (body.tag !== undefined && !TRADIER_TAG.test(body.tag))
    problems.push('tag may contain only letters, digits and -');
  return problems;
}

function placeOrder(ctx: SimContext, req: Request, res: Response): void {
  const problems = validate((req.body ?? {}) as Record<string, unknown>);
  const body = req.body as Record<string, string | undefined>;
  if (problems.length > 0) {
    journal(ctx, req, 'rejected', null);
    res.status(400).json(tradierErrors(problems.length === 1 ? problems[0]! : problems));
    return;
  }
  const option = body.class === 'option';
  const symbol = option ? body.option_symbol! : body.symbol!.toUpperCase();
  const touch = touchQuote(ctx.market, ctx.clock, symbol)!;
  const side = body.side!.startsWith('buy') ? 'buy' : 'sell';
  const multiplier = new Decimal(option ? 100 : 1);
  const quantity = new Decimal(body.quantity!);
  const cost = quantity.times(touch.ask).times(multiplier);
  if (body.preview === 'true') {
    res.json({
      order: {
        status: 'ok',
        commission: 0.35,
        cost: cost.plus(0.35).toNumber(),
        fees: 0.02,
        symbol: body.symbol,
        quantity: quantity.toNumber(),
        side: body.side,
        type: body.type,
        duration: body.duration,
        result: true,
        order_cost: cost.toNumber(),
        margin_change: 0,
        request_date: ctx.isoNow(),
        extended_hours: false,
        class: body.class,
        strategy: body.class,
        day_trades: 0,
      },
    });
    return;
  }
  if (side === 'buy' && cost.gt(ctx.tradier.cashOf(TRADIER_ACCOUNT))) {
    // Downstream rejections come back as HTTP 200 with an errors body.
    journal(ctx, req, 'rejected', null);
    res.json(tradierErrors('You do not have enough buying power for this trade.'));
    return;
  }
  // Tags are not unique at Tradier: a second order with the same tag is simply another order.
  const order = ctx.tradier.place({
    account: TRADIER_ACCOUNT,
    instrument: symbol,
    side,
    type: body.type as 'market' | 'limit' | 'stop',
    quantity,
    ...(body.price ? { limitPrice: new Decimal(body.price) } : {}),
    ...(body.stop ? { stopPrice: new Decimal(body.stop) } : {}),
    ...(body.tag ? { tag: body.tag } : {}),
    multiplier,
    extra: {
      class: body.class!,
      side: body.side!,
      symbol: body.symbol!.toUpperCase(),
      duration: body.duration!,
    },
  });
  journal(ctx, req, 'accepted', order);
  res.json({ order: { id: order.id, status: 'ok', partner_id: `sim-${order.id}` } });
}
