/**
 * Tradier balances and quote bodies, computed from the simulator's book and market model.
 * @module
 */
import Decimal from 'decimal.js';
import { instrument } from './instruments';
import { isoDate, parseOccSymbol, quoteOption } from './option-pricing';
import { touchQuote, TRADIER_ACCOUNT, type SimContext } from './sim-context';

export function balancesJson(ctx: SimContext): Record<string, unknown> {
  const cash = ctx.tradier.cashOf(TRADIER_ACCOUNT);
  let optionLong = new Decimal(0);
  let stockLong = new Decimal(0);
  for (const [symbol, position] of ctx.tradier.positionsOf(TRADIER_ACCOUNT)) {
    const touch = touchQuote(ctx.market, ctx.clock, symbol);
    const value = position.quantity.times(touch?.last ?? 0).times(parseOccSymbol(symbol) ? 100 : 1);
    if (parseOccSymbol(symbol)) optionLong = optionLong.plus(value);
    else stockLong = stockLong.plus(value);
  }
  const market = optionLong.plus(stockLong);
  const pending = ctx.tradier
    .list(TRADIER_ACCOUNT)
    .filter((o) => o.status === 'open' || o.status === 'partially_filled');
  const r = (d: Decimal) => d.toDecimalPlaces(2).toNumber();
  return {
    account_number: TRADIER_ACCOUNT,
    account_type: 'margin',
    total_equity: r(cash.plus(market)),
    total_cash: r(cash),
    market_value: r(market),
    long_market_value: r(market),
    short_market_value: 0,
    option_long_value: r(optionLong),
    option_short_value: 0,
    stock_long_value: r(stockLong),
    pending_orders_count: pending.length,
    margin: {
      fed_call: 0,
      maintenance_call: 0,
      option_buying_power: r(cash),
      stock_buying_power: r(cash.times(2)),
      stock_short_value: 0,
      sweep: 0,
    },
  };
}

export function quoteJson(
  ctx: SimContext,
  symbol: string,
  greeks = false,
): Record<string, unknown> | undefined {
  const option = parseOccSymbol(symbol);
  if (option) {
    if (instrument(option.root)?.kind !== 'equity') return undefined;
    const q = quoteOption(option, ctx.market.price(option.root), ctx.clock.nowMs());
    const base = {
      symbol,
      description: `${option.root} ${option.expiration} $${option.strike.toFixed(2)} ${option.kind === 'call' ? 'Call' : 'Put'}`,
      exch: 'Z',
      type: 'option',
      last: q.last,
      bid: q.bid,
      ask: q.ask,
      volume: 0,
      open_interest: 1000,
      strike: option.strike,
      option_type: option.kind,
      expiration_date: option.expiration,
      expiration_type: isoDate(ctx.clock.now()) === option.expiration ? 'daily' : 'standard',
      underlying: option.root,
      root_symbol: option.root,
      contract_size: 100,
    };
    if (!greeks) return base;
    const round = (v: number) => Number(v.toFixed(6));
    return {
      ...base,
      greeks: {
        delta: round(q.delta),
        gamma: round(q.gamma),
        theta: round(q.theta),
        vega: round(q.vega),
        rho: round(q.rho),
        phi: 0,
        bid_iv: round(q.iv),
        mid_iv: round(q.iv),
        ask_iv: round(q.iv),
        smv_vol: round(q.iv),
        updated_at: ctx.isoNow(),
      },
    };
  }
  const spec = instrument(symbol);
  if (!spec || spec.kind !== 'equity') return undefined;
  const q = ctx.market.quote(symbol);
  return {
    symbol: spec.symbol,
    description: spec.description,
    exch: 'P',
    type: 'etf',
    last: q.last,
    change: Number((q.last - q.prevClose).toFixed(2)),
    volume: 1_000_000 + ctx.clock.tick * 100,
    open: q.open,
    high: q.high,
    low: q.low,
    close: null,
    prevclose: q.prevClose,
    bid: q.bid,
    ask: q.ask,
    bidsize: 3,
    asksize: 5,
    trade_date: ctx.clock.nowMs(),
    root_symbols: spec.symbol,
  };
}
