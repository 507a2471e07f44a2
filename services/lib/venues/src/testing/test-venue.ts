/**
 * An in-process venue for worker tests and the chaos test. It journals every submission it
 * receives — duplicates included — which is the ground truth for "each client order id reached the
 * venue at most once", and it can fail at a chosen point:
 * - `unavailable`: refuses before anything is received (nothing journaled; `VenueUnavailableError`);
 * - `before_accept`: receives the request, drops it, then the caller sees `OutcomeUnknownError`;
 * - `accept_then_timeout`: accepts the order (resting, unfilled) and the caller sees `OutcomeUnknownError`;
 * - `after_fill`: accepts and fills it, then the caller sees `OutcomeUnknownError`;
 * - `reject`: a business rejection (`VenueRejectedError`), nothing accepted.
 * @module
 */
import Decimal from 'decimal.js';
import { OutcomeUnknownError } from '@atc/platform';
import {
  VenueRejectedError,
  VenueUnavailableError,
  type LookupResult,
  type OrderIntent,
  type Venue,
  type VenueMarket,
  type VenueOrder,
  type VenuePosition,
  type VenueQuote,
} from '../venue';

export type TestVenueFailurePoint =
  'unavailable' | 'before_accept' | 'accept_then_timeout' | 'after_fill' | 'reject';

export interface TestVenueJournalEntry {
  readonly sequence: number;
  readonly intent: OrderIntent;
  /** What the venue did with it. */
  readonly outcome: 'accepted' | 'dropped' | 'rejected';
}

export interface TestVenueOptions {
  readonly name?: string;
  readonly market?: VenueMarket;
  /** Price per instrument used for fills and quotes; default 100. */
  readonly prices?: Readonly<Record<string, string>>;
  /** Decides per submission whether and where to fail; `failNext` queues one-offs on top. */
  readonly failureFor?: (intent: OrderIntent, submission: number) => TestVenueFailurePoint | undefined;
  /** Like ProjectX: a second order with a known client order id is rejected. Default false (like Tradier). */
  readonly rejectDuplicateIds?: boolean;
  /** Market orders fill at once (default); false leaves every order resting until `fillResting()`. */
  readonly fillImmediately?: boolean;
}

interface StoredOrder {
  order: VenueOrder;
  intent: OrderIntent;
}

export class TestVenue implements Venue {
  readonly name: string;
  readonly market: VenueMarket;
  private readonly ordersById = new Map<string, StoredOrder[]>();
  private readonly entries: TestVenueJournalEntry[] = [];
  private readonly queued: TestVenueFailurePoint[] = [];
  private nextOrderId = 1;

  constructor(private readonly options: TestVenueOptions = {}) {
    this.name = options.name ?? 'test';
    this.market = options.market ?? 'crypto';
  }

  /** Every submission received, in order, duplicates included. */
  get journal(): readonly TestVenueJournalEntry[] {
    return this.entries;
  }

  /** How many submissions carried this client order id (the duplicate counter). */
  receivedCount(clientOrderId: string): number {
    return this.entries.filter((e) => e.intent.clientOrderId === clientOrderId).length;
  }

  /** Ids that reached the venue more than once and were accepted more than once. */
  duplicateAcceptedIds(): string[] {
    return [...this.ordersById.entries()].filter(([, orders]) => orders.length > 1).map(([id]) => id);
  }

  failNext(point: TestVenueFailurePoint): void {
    this.queued.push(point);
  }

  private priceOf(instrument: string): Decimal {
    return new Decimal(this.options.prices?.[instrument] ?? '100');
  }

  private record(intent: OrderIntent, outcome: TestVenueJournalEntry['outcome']): void {
    this.entries.push({ sequence: this.entries.length + 1, intent, outcome });
  }

  private accept(intent: OrderIntent, fill: boolean): VenueOrder {
    const order: VenueOrder = {
      clientOrderId: intent.clientOrderId,
      venueOrderId: `test-${this.nextOrderId++}`,
      instrument: intent.instrument,
      side: intent.side,
      quantity: intent.quantity,
      status: fill ? 'filled' : 'open',
      filledQuantity: fill ? intent.quantity : '0',
      ...(fill ? { averagePrice: this.priceOf(intent.instrument).toString() } : {}),
    };
    const list = this.ordersById.get(intent.clientOrderId) ?? [];
    list.push({ order, intent });
    this.ordersById.set(intent.clientOrderId, list);
    return order;
  }

  submitOrder(intent: OrderIntent): Promise<VenueOrder> {
    const failure = this.queued.shift() ?? this.options.failureFor?.(intent, this.entries.length + 1);
    if (failure === 'unavailable') {
      return Promise.reject(new VenueUnavailableError(this.name, 'injected: connection refused'));
    }
    if (failure === 'before_accept') {
      this.record(intent, 'dropped');
      return Promise.reject(
        new OutcomeUnknownError(this.name, 'submit_order', { cause: new Error('injected') }),
      );
    }
    if (
      failure === 'reject' ||
      (this.options.rejectDuplicateIds && this.ordersById.has(intent.clientOrderId))
    ) {
      this.record(intent, 'rejected');
      return Promise.reject(
        new VenueRejectedError(this.name, failure ? 'injected rejection' : 'duplicate client order id'),
      );
    }
    this.record(intent, 'accepted');
    const fillNow =
      failure !== 'accept_then_timeout' &&
      this.options.fillImmediately !== false &&
      intent.orderType === 'market';
    const order = this.accept(intent, fillNow || failure === 'after_fill');
    if (failure === 'accept_then_timeout' || failure === 'after_fill') {
      return Promise.reject(
        new OutcomeUnknownError(this.name, 'submit_order', { cause: new Error(`injected ${failure}`) }),
      );
    }
    return Promise.resolve(order);
  }

  /** Fills every resting order at the instrument's price (what the market would eventually do). */
  fillResting(): void {
    for (const list of this.ordersById.values()) {
      for (const stored of list) {
        if (stored.order.status !== 'open') continue;
        stored.order = {
          ...stored.order,
          status: 'filled',
          filledQuantity: stored.order.quantity,
          averagePrice: this.priceOf(stored.order.instrument).toString(),
        };
      }
    }
  }

  lookupOrder(clientOrderId: string): Promise<LookupResult> {
    const found = this.ordersById.get(clientOrderId)?.[0];
    return Promise.resolve(found ? { state: 'found', order: found.order } : { state: 'absent' });
  }

  cancelOrder(clientOrderId: string): Promise<VenueOrder> {
    const found = this.ordersById.get(clientOrderId)?.[0];
    if (!found) return Promise.reject(new VenueRejectedError(this.name, `no order ${clientOrderId}`));
    if (found.order.status === 'open') found.order = { ...found.order, status: 'cancelled' };
    return Promise.resolve(found.order);
  }

  getPositions(): Promise<VenuePosition[]> {
    const totals = new Map<string, Decimal>();
    for (const list of this.ordersById.values()) {
      for (const { order } of list) {
        const signed = new Decimal(order.filledQuantity).times(order.side === 'buy' ? 1 : -1);
        totals.set(order.instrument, (totals.get(order.instrument) ?? new Decimal(0)).plus(signed));
      }
    }
    return Promise.resolve(
      [...totals.entries()]
        .filter(([, quantity]) => !quantity.isZero())
        .map(([instrument, quantity]) => ({ instrument, quantity: quantity.toString() })),
    );
  }

  getQuote(instrument: string): Promise<VenueQuote> {
    const price = this.priceOf(instrument);
    return Promise.resolve({
      instrument,
      bid: price.toString(),
      ask: price.toString(),
      last: price.toString(),
    });
  }
}
