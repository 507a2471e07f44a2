import type { ResilientHttp } from '@atc/platform';
import { VenueRejectedError } from './venue';
import { asArray, parseJsonOr, rejectOn4xx } from './wire';

/**
 * Tradier brokerage API: `Accept: application/json` on every call (the default is XML), single
 * objects and "null" strings normalised to arrays, and rejections read from the body whatever the
 * status — downstream rejections arrive inside HTTP 200. Order placement is a submission: never
 * retried blindly; after an ambiguous failure, `findOrdersByTag` answers whether it landed. Tags
 * are not unique at Tradier, so the tag is our client order id and only a lookup proves absence.
 */
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

type Errors = { errors?: { error?: string | string[] } };

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

  private async get<T>(
    path: string,
    endpoint: string,
    query?: Record<string, string | undefined>,
  ): Promise<T> {
    const res = await rejectOn4xx(
      'tradier',
      () =>
        this.options.http.requestJson<T & Errors>({
          method: 'GET',
          path,
          endpoint,
          query,
          headers: this.headers(),
        }),
      (body) => errorsOf(parseJsonOr(body, {})) ?? body.slice(0, 200),
    );
    const rejected = errorsOf(res.body);
    if (rejected) throw new VenueRejectedError('tradier', rejected);
    return res.body;
  }

  /** The account number, fetched once from the profile and cached (the old system fetched it per trade). */
  async account(): Promise<string> {
    if (this.accountId) return this.accountId;
    const body = await this.get<{
      profile: { account: { account_number: string } | { account_number: string }[] };
    }>('/user/profile', 'profile');
    const first = asArray(body.profile.account)[0];
    if (!first) throw new VenueRejectedError('tradier', 'the profile has no account');
    this.accountId = first.account_number;
    return this.accountId;
  }

  async getQuotes(symbols: readonly string[], greeks = false): Promise<TradierQuote[]> {
    const body = await this.get<{ quotes: 'null' | { quote?: TradierQuote | TradierQuote[] } }>(
      '/markets/quotes',
      'quotes',
      {
        symbols: symbols.join(','),
        greeks: String(greeks),
      },
    );
    return body.quotes === 'null' ? [] : asArray(body.quotes.quote);
  }

  async getExpirations(symbol: string): Promise<string[]> {
    const body = await this.get<{ expirations: null | 'null' | { date?: string | string[] } }>(
      '/markets/options/expirations',
      'expirations',
      { symbol, includeAllRoots: 'true', strikes: 'false' },
    );
    return body.expirations === null || body.expirations === 'null' ? [] : asArray(body.expirations.date);
  }

  async getChain(symbol: string, expiration: string, greeks = true): Promise<TradierOption[]> {
    const body = await this.get<{ options: 'null' | null | { option?: TradierOption | TradierOption[] } }>(
      '/markets/options/chains',
      'chains',
      { symbol, expiration, greeks: String(greeks) },
    );
    return body.options === null || body.options === 'null' ? [] : asArray(body.options.option);
  }

  async getBalances(): Promise<Record<string, unknown>> {
    const account = await this.account();
    return (
      await this.get<{ balances: Record<string, unknown> }>(`/accounts/${account}/balances`, 'balances')
    ).balances;
  }

  async getPositions(): Promise<TradierPosition[]> {
    const account = await this.account();
    const body = await this.get<{ positions: 'null' | { position?: TradierPosition | TradierPosition[] } }>(
      `/accounts/${account}/positions`,
      'positions',
    );
    return body.positions === 'null' ? [] : asArray(body.positions.position);
  }

  /** Today's orders with their tags. */
  async listOrders(): Promise<TradierOrder[]> {
    const account = await this.account();
    const body = await this.get<{ orders: 'null' | { order?: TradierOrder | TradierOrder[] } }>(
      `/accounts/${account}/orders`,
      'orders',
      {
        includeTags: 'true',
      },
    );
    return body.orders === 'null' ? [] : asArray(body.orders.order);
  }

  async getOrder(orderId: number): Promise<TradierOrder> {
    const account = await this.account();
    return (
      await this.get<{ order: TradierOrder }>(`/accounts/${account}/orders/${orderId}`, 'order', {
        includeTags: 'true',
      })
    ).order;
  }

  /** Every order carrying this tag (tags are not unique, so there may be several). */
  async findOrdersByTag(tag: string): Promise<TradierOrder[]> {
    return (await this.listOrders()).filter((order) => order.tag === tag);
  }

  /** Places an order; resolves with Tradier's order id. Throws VenueRejectedError or OutcomeUnknownError. */
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
    const res = await rejectOn4xx(
      'tradier',
      () =>
        this.options.http.requestJson<{ order?: { id: number; status: string } } & Errors>({
          method: 'POST',
          path: `/accounts/${account}/orders`,
          endpoint: 'place_order',
          headers: this.headers(true),
          body: form.toString(),
          submission: true,
        }),
      (body) => errorsOf(parseJsonOr(body, {})) ?? body.slice(0, 200),
    );
    const rejected = errorsOf(res.body);
    if (rejected) throw new VenueRejectedError('tradier', rejected);
    if (!res.body.order || res.body.order.status !== 'ok')
      throw new VenueRejectedError('tradier', 'order not accepted');
    return res.body.order.id;
  }

  async cancelOrder(orderId: number): Promise<void> {
    const account = await this.account();
    const res = await rejectOn4xx(
      'tradier',
      () =>
        this.options.http.requestJson<Errors>({
          method: 'DELETE',
          path: `/accounts/${account}/orders/${orderId}`,
          endpoint: 'cancel_order',
          headers: this.headers(),
        }),
      (body) => errorsOf(parseJsonOr(body, {})) ?? body.slice(0, 200),
    );
    const rejected = errorsOf(res.body);
    if (rejected) throw new VenueRejectedError('tradier', rejected);
  }
}
