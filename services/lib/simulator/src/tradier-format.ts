/**
 * Tradier's JSON is converted from XML, and the simulator reproduces the quirks clients must
 * survive: a one-element collection is an object, an empty one is the string "null", quantities
 * are floats and ids integers.
 * @module
 */
import type Decimal from 'decimal.js';
import { averageFillPrice, type SimOrder } from './order-book';

export function collection<T>(items: readonly T[], key: string): 'null' | Record<string, T | T[]> {
  if (items.length === 0) return 'null';
  return { [key]: items.length === 1 ? items[0]! : [...items] };
}

const num = (value: Decimal | undefined): number | null => (value === undefined ? null : value.toNumber());

export function tradierOrderJson(order: SimOrder, includeTags: boolean): Record<string, unknown> {
  const average = averageFillPrice(order);
  const last = order.fills.at(-1);
  return {
    id: order.id,
    type: order.type,
    symbol: order.extra.symbol ?? order.instrument,
    side: order.extra.side ?? order.side,
    quantity: order.quantity.toNumber(),
    status: order.status,
    duration: order.extra.duration ?? 'day',
    ...(order.limitPrice ? { price: order.limitPrice.toNumber() } : {}),
    ...(order.stopPrice ? { stop_price: order.stopPrice.toNumber() } : {}),
    avg_fill_price: num(average) ?? 0,
    exec_quantity: order.filled.toNumber(),
    last_fill_price: num(last?.price) ?? 0,
    last_fill_quantity: num(last?.quantity) ?? 0,
    remaining_quantity: order.quantity.minus(order.filled).toNumber(),
    create_date: order.createdAt,
    transaction_date: order.updatedAt,
    class: order.extra.class ?? 'equity',
    ...(order.extra.class === 'option' ? { option_symbol: order.instrument } : {}),
    ...(includeTags && order.tag !== undefined ? { tag: order.tag } : {}),
  };
}

export function tradierErrors(messages: string | string[]): { errors: { error: string | string[] } } {
  return { errors: { error: messages } };
}

export const TRADIER_TAG = /^[A-Za-z0-9-]{1,255}$/;

export const SIDES: Readonly<Record<string, readonly string[]>> = {
  equity: ['buy', 'buy_to_cover', 'sell', 'sell_short'],
  option: ['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'],
};

/** A minimal XML answer for clients that forgot `Accept: application/json` (Tradier's default is XML). */
export function xmlAnswer(): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<response><note>send Accept: application/json</note></response>';
}
