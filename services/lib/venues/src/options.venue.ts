/**
 * The options market on Tradier. The client order id travels as the order `tag`; Tradier does not
 * enforce uniqueness, so after an ambiguous submit the caller must `lookupOrder` (today's orders,
 * with tags) before anything is resent. An absent tag in today's list is proof the order never
 * arrived, because the list covers the whole session.
 * @module
 */
import Decimal from 'decimal.js';
import type { TradierClient, TradierOrder } from './tradier.client';
import {
  VenueRejectedError,
  type LookupResult,
  type OrderIntent,
  type Venue,
  type VenueOrder,
  type VenueOrderStatus,
  type VenuePosition,
  type VenueQuote,
} from './venue';

const OCC = /^[A-Z0-9]{1,6}\d{6}[CP]\d{8}$/;

const STATUS: Readonly<Record<string, VenueOrderStatus>> = {
  open: 'open',
  partially_filled: 'partially_filled',
  filled: 'filled',
  expired: 'expired',
  canceled: 'cancelled',
  pending: 'pending',
  submitted: 'pending',
  rejected: 'rejected',
  error: 'rejected',
};

function toVenueOrder(order: TradierOrder, clientOrderId: string): VenueOrder {
  const filled = new Decimal(order.exec_quantity ?? 0);
  return {
    clientOrderId,
    venueOrderId: String(order.id),
    instrument: order.option_symbol ?? order.symbol,
    side: order.side.startsWith('buy') ? 'buy' : 'sell',
    quantity: new Decimal(order.quantity).toString(),
    status: STATUS[order.status] ?? 'pending',
    filledQuantity: filled.toString(),
    ...(filled.gt(0) && order.avg_fill_price !== undefined
      ? { averagePrice: new Decimal(order.avg_fill_price).toString() }
      : {}),
    ...(order.reason_description ? { rejectReason: order.reason_description } : {}),
  };
}

export class TradierOptionsVenue implements Venue {
  readonly name = 'tradier';
  readonly market = 'options' as const;

  constructor(private readonly client: TradierClient) {}

  private async side(intent: OrderIntent, option: boolean) {
    if (!option) return intent.side;
    const held =
      (await this.client.getPositions()).find((p) => p.symbol === intent.instrument)?.quantity ?? 0;
    if (intent.side === 'buy') return held < 0 ? 'buy_to_close' : 'buy_to_open';
    return held > 0 ? 'sell_to_close' : 'sell_to_open';
  }

  async submitOrder(intent: OrderIntent): Promise<VenueOrder> {
    const option = OCC.test(intent.instrument);
    if (!new Decimal(intent.quantity).isInteger())
      throw new VenueRejectedError(this.name, 'quantity must be whole');
    const underlying = option ? /^[A-Z0-9]+?(?=\d{6}[CP])/.exec(intent.instrument)![0] : intent.instrument;
    const id = await this.client.placeOrder({
      class: option ? 'option' : 'equity',
      symbol: underlying,
      ...(option ? { optionSymbol: intent.instrument } : {}),
      side: await this.side(intent, option),
      quantity: intent.quantity,
      type: intent.orderType,
      duration: 'day',
      ...(intent.limitPrice ? { price: intent.limitPrice } : {}),
      ...(intent.stopPrice ? { stop: intent.stopPrice } : {}),
      tag: intent.clientOrderId,
    });
    return toVenueOrder(await this.client.getOrder(id), intent.clientOrderId);
  }

  async lookupOrder(clientOrderId: string): Promise<LookupResult> {
    const [first] = await this.client.findOrdersByTag(clientOrderId);
    return first ? { state: 'found', order: toVenueOrder(first, clientOrderId) } : { state: 'absent' };
  }

  async cancelOrder(clientOrderId: string): Promise<VenueOrder> {
    const [first] = await this.client.findOrdersByTag(clientOrderId);
    if (!first) throw new VenueRejectedError(this.name, `no order tagged ${clientOrderId}`);
    await this.client.cancelOrder(first.id);
    return toVenueOrder(await this.client.getOrder(first.id), clientOrderId);
  }

  async getPositions(): Promise<VenuePosition[]> {
    return (await this.client.getPositions()).map((p) => {
      const quantity = new Decimal(p.quantity);
      const multiplier = OCC.test(p.symbol) ? 100 : 1;
      return {
        instrument: p.symbol,
        quantity: quantity.toString(),
        ...(quantity.isZero()
          ? {}
          : {
              averagePrice: new Decimal(p.cost_basis)
                .div(quantity.abs())
                .div(multiplier)
                .toDecimalPlaces(4)
                .toString(),
            }),
      };
    });
  }

  async getQuote(instrument: string): Promise<VenueQuote> {
    const [quote] = await this.client.getQuotes([instrument]);
    if (!quote) throw new VenueRejectedError(this.name, `no quote for ${instrument}`);
    const dec = (value: number | null) => new Decimal(value ?? 0).toString();
    return { instrument, bid: dec(quote.bid), ask: dec(quote.ask), last: dec(quote.last) };
  }
}
