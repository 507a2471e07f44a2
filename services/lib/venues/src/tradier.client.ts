/**
 * Tradier brokerage API: `Accept: application/json` on every call (the default is XML), single
 * objects and "null" strings normalised to arrays, and rejections read from the body whatever the
 * status — downstream rejections arrive inside HTTP 200. Order placement is a submission: never
 * retried blindly; after an ambiguous failure, `findOrdersByTag` answers whether it landed. Tags
 * are not unique at Tradier, so the tag is our client order id and only a lookup proves absence.
 * @module
 */
import type { ResilientHttp } from '@atc/platform';
import { VenueRejectedError } from './venue';
import { z } from 'zod';
import { asArray, parseJsonOr, parseWire, rejectOn4xx, wireList } from './wire';

export interface TradierQuote {
  readonly symbol: string;
  readonly last: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface TradierOption extends TradierQuote {
  readonly strike: number;
  readonly option_type: 'call' | 'put';
  readonly expiration_date: string;
  readonly greeks?: Record<string, number | string>;
}

export interface TradierOrder {
  readonly id: number;
  readonly type: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: number;
  readonly status: string;
  readonly avg_fill_price?: number;
  readonly exec_quantity?: number;
  readonly remaining_quantity?: number;
  readonly class?: string;
  readonly option_symbol?: string;
  readonly tag?: string;
  readonly reason_description?: string;
}

export interface TradierPosition {
  readonly symbol: string;
  readonly quantity: number;
  readonly cost_basis: number;
  readonly date_acquired: string;
  readonly id: number;
}

export interface TradierOrderRequest {
  readonly class: 'equity' | 'option';
  readonly symbol: string;
  readonly optionSymbol?: string;
  readonly side:
    | 'buy'
    | 'buy_to_cover'
    | 'sell'
    | 'sell_short'
    | 'buy_to_open'
    | 'buy_to_close'
    | 'sell_to_open'
    | 'sell_to_close';
  /** Whole units as a decimal string. */
  readonly quantity: string;
  readonly type: 'market' | 'limit' | 'stop';
  readonly duration: 'day' | 'gtc' | 'pre' | 'post';
  readonly price?: string;
  readonly stop?: string;
  /** The client order id: letters, digits and `-` only, at most 255 characters. */
  readonly tag: string;
}

const TAG = /^[A-Za-z0-9-]{1,255}$/;

const quoteSchema = z.looseObject({
  symbol: z.string(),
  last: z.number().nullable(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
  type: z.string(),
});
const optionSchema = quoteSchema.extend({
  strike: z.number(),
  option_type: z.enum(['call', 'put']),
  expiration_date: z.string(),
  greeks: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
const orderSchema = z.object({
  id: z.number(),
  type: z.string(),
  symbol: z.string(),
  side: z.string(),
  quantity: z.number(),
  status: z.string(),
  avg_fill_price: z.number().optional(),
  exec_quantity: z.number().optional(),
  remaining_quantity: z.number().optional(),
  class: z.string().optional(),
  option_symbol: z.string().optional(),
  tag: z.string().optional(),
  reason_description: z.string().optional(),
});
const positionSchema = z.object({
  symbol: z.string(),
  quantity: z.number(),
  cost_basis: z.number(),
  date_acquired: z.string(),
  id: z.number(),
});
/** A collection that is "null" (or null) when empty, else an object holding one item or several. */
const empty = z.union([z.literal('null'), z.null()]);
const accountSchema = z.object({ account_number: z.string() });

const SCHEMAS = {
  profile: z.object({ profile: z.object({ account: z.union([z.array(accountSchema), accountSchema]) }) }),
  quotes: z.object({ quotes: z.union([empty, z.object({ quote: wireList(quoteSchema) })]) }),
  expirations: z.object({ expirations: z.union([empty, z.object({ date: wireList(z.string()) })]) }),
  chains: z.object({ options: z.union([empty, z.object({ option: wireList(optionSchema) })]) }),
  balances: z.object({ balances: z.record(z.string(), z.unknown()) }),
  positions: z.object({ positions: z.union([empty, z.object({ position: wireList(positionSchema) })]) }),
  orders: z.object({ orders: z.union([empty, z.object({ order: wireList(orderSchema) })]) }),
  order: z.object({ order: orderSchema }),
  place_order: z.object({ order: z.object({ id: z.number(), status: z.string() }) }),
  cancel_order: z.unknown(),
};

/** The items of a "null"-or-wrapped collection. */
function itemsOf<T>(value: T | T[] | 'null' | null | undefined): T[] {
  return asArray(value);
}

type Errors = { errors?: { error?: string | string[] } };

/** Tradier's rejection, whatever the status: `{"errors": {"error": "…" | ["…"]}}`. */
function errorsOf(body: unknown): string | undefined {
  const errors = (body as Errors | undefined)?.errors;
  if (!errors) return undefined;
  const list = asArray(errors.error);
  return list.length > 0 ? list.join('; ') : 'rejected without a reason';
}

export interface TradierClientOptions {
  readonly http: ResilientHttp;
  readonly accessToken: string;
  /** Skips the profile lookup when set. */
  readonly accountId?: string;
}

export class TradierClient {
  private accountId: string | undefined;

  constructor(private readonly options: TradierClientOptions) {
    this.accountId = options.accountId;
  }

  private headers(form = false): Record<string, string> {
    return {
      authorization: `Bearer ${this.options.accessToken}`,
      accept: 'application/json',
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    };
  }

  /**
   * The one path every call takes: a business 4xx and an HTTP 200 carrying `errors` both become a
   * `VenueRejectedError`; any other body must match the endpoint's schema.
   */
  private async call<S extends z.ZodType>(
    endpoint: keyof typeof SCHEMAS,
    schema: S,
    request: {
      method: 'GET' | 'POST' | 'DELETE';
      path: string;
      query?: Record<string, string | undefined>;
      body?: string;
    },
  ): Promise<z.output<S>> {
    const submission = endpoint === 'place_order';
    const res = await rejectOn4xx(
      'tradier',
      () =>
        this.options.http.requestJson<unknown>({
          ...request,
          endpoint,
          headers: this.headers(request.body !== undefined),
          ...(submission ? { submission } : {}),
        }),
      (body) => errorsOf(parseJsonOr(body, {})) ?? body.slice(0, 200),
    );
    const rejected = errorsOf(res.body);
    if (rejected) throw new VenueRejectedError('tradier', rejected);
    return parseWire(schema, res.body, { venue: 'tradier', endpoint, submission });
  }

  /** The account number, fetched once from the profile and cached (the old system fetched it per trade). */
  async account(): Promise<string> {
    if (this.accountId) return this.accountId;
    const body = await this.call('profile', SCHEMAS.profile, { method: 'GET', path: '/user/profile' });
    const first = asArray(body.profile.account)[0];
    if (!first) throw new VenueRejectedError('tradier', 'the profile has no account');
    this.accountId = first.account_number;
    return this.accountId;
  }

  async getQuotes(symbols: readonly string[], greeks = false): Promise<TradierQuote[]> {
    const body = await this.call('quotes', SCHEMAS.quotes, {
      method: 'GET',
      path: '/markets/quotes',
      query: { symbols: symbols.join(','), greeks: String(greeks) },
    });
    return body.quotes === 'null' || body.quotes === null ? [] : itemsOf(body.quotes.quote);
  }

  async getExpirations(symbol: string): Promise<string[]> {
    const body = await this.call('expirations', SCHEMAS.expirations, {
      method: 'GET',
      path: '/markets/options/expirations',
      query: { symbol, includeAllRoots: 'true', strikes: 'false' },
    });
    return body.expirations === null || body.expirations === 'null' ? [] : itemsOf(body.expirations.date);
  }

  async getChain(symbol: string, expiration: string, greeks = true): Promise<TradierOption[]> {
    const body = await this.call('chains', SCHEMAS.chains, {
      method: 'GET',
      path: '/markets/options/chains',
      query: { symbol, expiration, greeks: String(greeks) },
    });
    return body.options === null || body.options === 'null' ? [] : itemsOf(body.options.option);
  }

  async getBalances(): Promise<Record<string, unknown>> {
    const account = await this.account();
    return (
      await this.call('balances', SCHEMAS.balances, { method: 'GET', path: `/accounts/${account}/balances` })
    ).balances;
  }

  async getPositions(): Promise<TradierPosition[]> {
    const account = await this.account();
    const body = await this.call('positions', SCHEMAS.positions, {
      method: 'GET',
      path: `/accounts/${account}/positions`,
    });
    return body.positions === 'null' || body.positions === null ? [] : itemsOf(body.positions.position);
  }

  /** Today's orders with their tags. */
  async listOrders(): Promise<TradierOrder[]> {
    const account = await this.account();
    const body = await this.call('orders', SCHEMAS.orders, {
      method: 'GET',
      path: `/accounts/${account}/orders`,
      query: { includeTags: 'true' },
    });
    return body.orders === 'null' || body.orders === null ? [] : itemsOf(body.orders.order);
  }

  async getOrder(orderId: number): Promise<TradierOrder> {
    const account = await this.account();
    const body = await this.call('order', SCHEMAS.order, {
      method: 'GET',
      path: `/accounts/${account}/orders/${orderId}`,
      query: { includeTags: 'true' },
    });
    return body.order;
  }

  /** Every order carrying this tag (tags are not unique, so there may be several). */
  async findOrdersByTag(tag: string): Promise<TradierOrder[]> {
    return (await this.listOrders()).filter((order) => order.tag === tag);
  }

  /**
   * Places an order; resolves with Tradier's order id. Throws VenueRejectedError, or
   * OutcomeUnknownError (also when the answer cannot be read: the order may have been placed).
   */
  async placeOrder(request: TradierOrderRequest): Promise<number> {
    if (!TAG.test(request.tag))
      throw new VenueRejectedError('tradier', 'tag may contain only letters, digits and -');
    const account = await this.account();
    const form = new URLSearchParams({
      class: request.class,
      symbol: request.symbol,
      side: request.side,
      quantity: request.quantity,
      type: request.type,
      duration: request.duration,
      tag: request.tag,
    });
    if (request.optionSymbol) form.set('option_symbol', request.optionSymbol);
    if (request.price) form.set('price', request.price);
    if (request.stop) form.set('stop', request.stop);
    const body = await this.call('place_order', SCHEMAS.place_order, {
      method: 'POST',
      path: `/accounts/${account}/orders`,
      body: form.toString(),
    });
    if (body.order.status !== 'ok') throw new VenueRejectedError('tradier', 'order not accepted');
    return body.order.id;
  }

  async cancelOrder(orderId: number): Promise<void> {
    const account = await this.account();
    await this.call('cancel_order', SCHEMAS.cancel_order, {
      method: 'DELETE',
      path: `/accounts/${account}/orders/${orderId}`,
    });
  }
}
