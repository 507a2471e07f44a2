import { createResilientHttp, createVenueBreaker, OutcomeUnknownError } from '@atc/platform';
import { TradierOptionsVenue } from './options.venue';
import { occSymbol } from '@atc/simulator';
import { startHarness, type SimHarness } from '@atc/simulator/testing';
import { TradierClient } from './tradier.client';
import { VenueRejectedError } from './venue';

describe('Tradier client against the simulator', () => {
  let h: SimHarness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('reads the account from the profile once, and quotes, expirations (with 0DTE) and chains with greeks', async () => {
    const breaker = createVenueBreaker({ venue: 'tradier' });
    const http = createResilientHttp({ venue: 'tradier', baseUrl: `${h.sim.url}/tradier/v1`, breaker });
    const client = new TradierClient({ http, accessToken: 't' });
    expect(await client.account()).toBe('VA000001');
    breaker.shutdown();
    const [spy] = await h.clients.tradier.getQuotes(['SPY']);
    expect(spy).toMatchObject({ symbol: 'SPY', type: 'etf' });
    const expirations = await h.clients.tradier.getExpirations('SPY');
    expect(expirations[0]).toBe('2026-11-30');
    const chain = await h.clients.tradier.getChain('SPY', expirations[0]!, true);
    const call = chain.find((o) => o.option_type === 'call' && o.strike === 600)!;
    const put = chain.find((o) => o.option_type === 'put' && o.strike === 600)!;
    expect(call.symbol).toBe('SPY261130C00600000');
    expect(call.bid! < call.ask!).toBe(true);
    expect(call.greeks?.delta).toBeGreaterThan(0);
    expect(put.greeks?.delta).toBeLessThan(0);
    // The smile: a far out-of-the-money put carries more implied volatility than the at-the-money one.
    const farPut = chain.find((o) => o.option_type === 'put' && o.strike === 560)!;
    expect(Number(farPut.greeks?.mid_iv)).toBeGreaterThan(Number(put.greeks?.mid_iv));
  });

  it('normalises the "null" and single-object quirks', async () => {
    expect(await h.clients.tradier.getPositions()).toEqual([]);
    expect(await h.clients.tradier.listOrders()).toEqual([]);
    const raw = await fetch(`${h.sim.url}/tradier/v1/accounts/VA000001/positions`, {
      headers: { authorization: 'Bearer t', accept: 'application/json' },
    });
    expect(await raw.json()).toEqual({ positions: 'null' });
    await h.clients.tradier.placeOrder({
      class: 'equity',
      symbol: 'SPY',
      side: 'buy',
      quantity: '1',
      type: 'market',
      duration: 'day',
      tag: 'cc-1-a1',
    });
    const single = await (
      await fetch(`${h.sim.url}/tradier/v1/accounts/VA000001/positions`, {
        headers: { authorization: 'Bearer t', accept: 'application/json' },
      })
    ).json();
    expect(Array.isArray((single as { positions: { position: unknown } }).positions.position)).toBe(false);
    expect(await h.clients.tradier.getPositions()).toEqual([
      expect.objectContaining({ symbol: 'SPY', quantity: 1 }),
    ]);
  });

  it('answers XML without Accept: application/json, which is why the client always sends it', async () => {
    const res = await fetch(`${h.sim.url}/tradier/v1/markets/quotes?symbols=SPY`, {
      headers: { authorization: 'Bearer t' },
    });
    expect(res.headers.get('content-type')).toContain('xml');
  });

  it('places with tag = client order id, reads it back by tag, and tags are not unique', async () => {
    const order = {
      class: 'equity',
      symbol: 'QQQ',
      side: 'buy',
      quantity: '2',
      type: 'market',
      duration: 'day',
      tag: 'cc-7-a1',
    } as const;
    const first = await h.clients.tradier.placeOrder(order);
    const second = await h.clients.tradier.placeOrder(order);
    expect(second).not.toBe(first);
    const tagged = await h.clients.tradier.findOrdersByTag('cc-7-a1');
    expect(tagged.map((o) => o.id).sort()).toEqual([first, second].sort());
    expect((await h.clients.tradier.getOrder(first)).status).toBe('filled');
  });

  it('reads a rejection from an HTTP 200 body and from a 400 with an array of errors', async () => {
    const huge = {
      class: 'equity',
      symbol: 'SPY',
      side: 'buy',
      quantity: '100000',
      type: 'market',
      duration: 'day',
      tag: 'cc-big',
    } as const;
    await expect(h.clients.tradier.placeOrder(huge)).rejects.toThrow(/enough buying power/);
    const bad = { ...huge, quantity: '1', type: 'limit', tag: 'cc-bad' } as const;
    const error = (await h.clients.tradier.placeOrder(bad).catch((e: unknown) => e)) as VenueRejectedError;
    expect(error).toBeInstanceOf(VenueRejectedError);
    expect(error.reason).toMatch(/price is required/);
    await expect(h.clients.tradier.placeOrder({ ...huge, tag: 'bad_tag' })).rejects.toBeInstanceOf(
      VenueRejectedError,
    );
  });

  it('fills a large option order partially over ticks, and limit and stop orders when the market gets there', async () => {
    const [expiration] = await h.clients.tradier.getExpirations('SPY');
    const symbol = occSymbol('SPY', expiration!, 'call', 600);
    const id = await h.clients.tradier.placeOrder({
      class: 'option',
      symbol: 'SPY',
      optionSymbol: symbol,
      side: 'buy_to_open',
      quantity: '8',
      type: 'market',
      duration: 'day',
      tag: 'cc-opt-1',
    });
    expect(await h.clients.tradier.getOrder(id)).toMatchObject({
      status: 'partially_filled',
      exec_quantity: 5,
      remaining_quantity: 3,
    });
    await h.advance(1);
    expect(await h.clients.tradier.getOrder(id)).toMatchObject({ status: 'filled', exec_quantity: 8 });
    const [spy] = await h.clients.tradier.getQuotes(['SPY']);
    const limit = await h.clients.tradier.placeOrder({
      class: 'equity',
      symbol: 'SPY',
      side: 'buy',
      quantity: '1',
      type: 'limit',
      price: (spy!.ask! - 50).toFixed(2),
      duration: 'day',
      tag: 'cc-lim',
    });
    const stop = await h.clients.tradier.placeOrder({
      class: 'equity',
      symbol: 'SPY',
      side: 'buy',
      quantity: '1',
      type: 'stop',
      stop: (spy!.last! + 50).toFixed(2),
      duration: 'day',
      tag: 'cc-stop',
    });
    expect((await h.clients.tradier.getOrder(limit)).status).toBe('open');
    expect((await h.clients.tradier.getOrder(stop)).status).toBe('open');
    await h.clients.tradier.cancelOrder(limit);
    expect((await h.clients.tradier.getOrder(limit)).status).toBe('canceled');
    await expect(h.clients.tradier.cancelOrder(limit)).rejects.toBeInstanceOf(VenueRejectedError);
  });

  it('after an accepted-then-timed-out submission, the venue looks the tag up and never sends a second order', async () => {
    await h.addFault({ endpoint: 'tradier.place_order', acceptThenTimeoutNext: 1 });
    const venue = new TradierOptionsVenue(h.clients.tradier);
    const intent = {
      clientOrderId: 'cc-step-9-a1',
      market: 'options',
      instrument: 'SPY',
      side: 'buy',
      quantity: '1',
      orderType: 'market',
    } as const;
    await expect(venue.submitOrder(intent)).rejects.toBeInstanceOf(OutcomeUnknownError);
    const found = await venue.lookupOrder(intent.clientOrderId);
    expect(found).toMatchObject({ state: 'found', order: { status: 'filled', filledQuantity: '1' } });
    expect(await venue.lookupOrder('cc-step-10-a1')).toEqual({ state: 'absent' });
    const received = (await h.journal()).filter((e) => e.clientOrderId === intent.clientOrderId);
    expect(received).toHaveLength(1);
  });

  it('does not retry a submission that got a 5xx, but retries reads (counted in metrics)', async () => {
    await h.addFault({ endpoint: 'tradier.place_order', failNext: 1, errorStatus: 502 });
    await expect(
      h.clients.tradier.placeOrder({
        class: 'equity',
        symbol: 'SPY',
        side: 'buy',
        quantity: '1',
        type: 'market',
        duration: 'day',
        tag: 'cc-5xx',
      }),
    ).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect((await h.journal()).filter((e) => e.clientOrderId === 'cc-5xx')).toHaveLength(1);
    await h.addFault({ endpoint: 'tradier.quotes', rateLimitNext: 2, retryAfterSeconds: 3 });
    await h.clients.tradier.getQuotes(['SPY']);
    expect(h.sleeps).toEqual([3_000, 3_000]);
    expect(await h.registry.metrics()).toContain(
      'atc_venue_rate_limited_total{venue="tradier",endpoint="quotes"} 2',
    );
  });

  it('refuses a bad token with 401', async () => {
    const res = await fetch(`${h.sim.url}/tradier/v1/user/profile`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(401);
  });
});
