/**
 * Order matching against the model's quotes: market orders take the touch, limit orders fill when
 * the touch crosses their price, stop orders turn into market orders once the last price trades
 * through the stop. At most `fillLimitPerTick` units fill per tick, so big orders fill partially
 * across ticks. Quantities and prices are decimals; nothing is a binary float.
 * @module
 */
import Decimal from 'decimal.js';

export type SimOrderType = 'market' | 'limit' | 'stop';
export type SimOrderStatus =
  'pending' | 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

export interface SimFill {
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly tick: number;
}

export interface SimOrder {
  readonly id: number;
  readonly account: string;
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly type: SimOrderType;
  readonly quantity: Decimal;
  readonly limitPrice?: Decimal;
  readonly stopPrice?: Decimal;
  /** The caller's handle: Tradier `tag`, ProjectX `customTag`. */
  readonly tag?: string;
  /** Dollars per point (100 for options, the point value for futures, 1 for equities). */
  readonly multiplier: Decimal;
  readonly createdTick: number;
  readonly createdAt: string;
  /** Venue-specific extras to echo back (Tradier class, option symbol, duration). */
  readonly extra: Readonly<Record<string, string>>;
  status: SimOrderStatus;
  triggered: boolean;
  filled: Decimal;
  fills: SimFill[];
  updatedAt: string;
}

export interface TouchQuote {
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly last: Decimal;
}

export interface SimPosition {
  quantity: Decimal;
  cost: Decimal;
  openedAt: string;
}

export interface OrderBookOptions {
  readonly quote: (instrument: string) => TouchQuote | undefined;
  readonly fillLimitPerTick: (instrument: string) => Decimal;
  readonly now: () => { tick: number; iso: string };
  /** Whether the instrument's market is in session now; a closed market's orders rest until it opens. */
  readonly inSession?: (instrument: string) => boolean;
}

export class OrderBook {
  private readonly orders: SimOrder[] = [];
  private readonly positions = new Map<string, Map<string, SimPosition>>();
  private readonly cash = new Map<string, Decimal>();
  private nextId: number;

  constructor(
    private readonly options: OrderBookOptions,
    firstId = 1,
  ) {
    this.nextId = firstId;
  }

  place(
    input: Omit<
      SimOrder,
      'id' | 'status' | 'triggered' | 'filled' | 'fills' | 'createdTick' | 'createdAt' | 'updatedAt'
    >,
  ): SimOrder {
    const now = this.options.now();
    const order: SimOrder = {
      ...input,
      id: this.nextId++,
      status: 'open',
      triggered: input.type !== 'stop',
      filled: new Decimal(0),
      fills: [],
      createdTick: now.tick,
      createdAt: now.iso,
      updatedAt: now.iso,
    };
    this.orders.push(order);
    this.match(order);
    return order;
  }

  list(account: string): SimOrder[] {
    return this.orders.filter((o) => o.account === account);
  }

  byId(account: string, id: number): SimOrder | undefined {
    return this.orders.find((o) => o.account === account && o.id === id);
  }

  cancel(order: SimOrder): boolean {
    if (order.status !== 'open' && order.status !== 'partially_filled') return false;
    order.status = 'canceled';
    order.updatedAt = this.options.now().iso;
    return true;
  }

  positionsOf(account: string): Map<string, SimPosition> {
    let map = this.positions.get(account);
    if (!map) {
      map = new Map();
      this.positions.set(account, map);
    }
    return map;
  }

  cashOf(account: string): Decimal {
    return this.cash.get(account) ?? new Decimal(0);
  }

  setCash(account: string, amount: Decimal): void {
    this.cash.set(account, amount);
  }

  /** Called on every clock tick: resting orders get their chance to fill. */
  matchAll(): void {
    for (const order of this.orders)
      if (order.status === 'open' || order.status === 'partially_filled') this.match(order);
  }

  private executable(order: SimOrder, quote: TouchQuote): Decimal | undefined {
    const buy = order.side === 'buy';
    if (!order.triggered) {
      const through = buy ? quote.last.gte(order.stopPrice!) : quote.last.lte(order.stopPrice!);
      if (!through) return undefined;
      order.triggered = true;
    }
    const touch = buy ? quote.ask : quote.bid;
    if (order.type === 'limit') {
      const crosses = buy ? touch.lte(order.limitPrice!) : touch.gte(order.limitPrice!);
      return crosses ? touch : undefined;
    }
    return touch;
  }

  private match(order: SimOrder): void {
    if (this.options.inSession && !this.options.inSession(order.instrument)) return;
    const quote = this.options.quote(order.instrument);
    if (!quote) return;
    const price = this.executable(order, quote);
    if (price === undefined) return;
    const remaining = order.quantity.minus(order.filled);
    const quantity = Decimal.min(remaining, this.options.fillLimitPerTick(order.instrument));
    if (quantity.lte(0)) return;
    const now = this.options.now();
    order.fills.push({ quantity, price, tick: now.tick });
    order.filled = order.filled.plus(quantity);
    order.status = order.filled.gte(order.quantity) ? 'filled' : 'partially_filled';
    order.updatedAt = now.iso;
    this.book(order, quantity, price, now.iso);
  }

  private book(order: SimOrder, quantity: Decimal, price: Decimal, iso: string): void {
    const signed = order.side === 'buy' ? quantity : quantity.negated();
    const positions = this.positionsOf(order.account);
    const position = positions.get(order.instrument) ?? {
      quantity: new Decimal(0),
      cost: new Decimal(0),
      openedAt: iso,
    };
    const notional = price.times(quantity).times(order.multiplier);
    this.setCash(
      order.account,
      this.cashOf(order.account).plus(order.side === 'buy' ? notional.negated() : notional),
    );
    const sameDirection =
      position.quantity.isZero() || position.quantity.isPositive() === signed.isPositive();
    if (sameDirection) {
      position.cost = position.cost.plus(notional);
    } else {
      // Reducing: cost falls pro rata; a flip starts a fresh cost basis for the new side.
      const closing = Decimal.min(quantity, position.quantity.abs());
      position.cost = position.cost
        .times(position.quantity.abs().minus(closing))
        .div(position.quantity.abs());
      if (quantity.gt(closing)) position.cost = price.times(quantity.minus(closing)).times(order.multiplier);
    }
    position.quantity = position.quantity.plus(signed);
    if (position.quantity.isZero()) positions.delete(order.instrument);
    else positions.set(order.instrument, position);
  }
}

export function averageFillPrice(order: SimOrder): Decimal | undefined {
  if (order.filled.isZero()) return undefined;
  const total = order.fills.reduce((sum, f) => sum.plus(f.price.times(f.quantity)), new Decimal(0));
  return total.div(order.filled);
}
