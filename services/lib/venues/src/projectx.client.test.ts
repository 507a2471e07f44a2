import { createResilientHttp, createVenueBreaker, OutcomeUnknownError } from '@atc/platform';
import { ProjectXFuturesVenue } from './futures.venue';
import { PROJECTX_ORDER_TYPE, PROJECTX_SIDE, ProjectXClient, ProjectXRejectedError } from './projectx.client';
import { DEFAULT_SIM_START } from '@atc/simulator';
import { startHarness, type SimHarness } from '@atc/simulator/testing';

// The venue's look-ups search the days before its `now`: the simulator's time, not today's date.
const simulatedNow = () => DEFAULT_SIM_START + 3_600_000;

describe('ProjectX client and futures venue against the simulator', () => {
  let h: SimHarness;
  let venue: ProjectXFuturesVenue;
  beforeEach(async () => {
    h = await startHarness();
    venue = new ProjectXFuturesVenue({
      client: h.clients.projectx,
      prices: h.clients.nebula,
      now: simulatedNow,
    });
  });
  afterEach(() => h.close());

  it('logs in with loginKey, resolves the active contract, and places with customTag', async () => {
    const contract = await h.clients.projectx.activeContract('MNQ');
    expect(contract.id).toBe('CON.F.US.MNQ.Z26');
    expect((await h.clients.projectx.activeContract('NQ')).id).toBe('CON.F.US.ENQ.Z26');
    const id = await h.clients.projectx.placeOrder({
      contractId: contract.id,
      type: PROJECTX_ORDER_TYPE.market,
      side: PROJECTX_SIDE.buy,
      size: 2,
      customTag: 'cc-fut-1',
    });
    const order = await h.clients.projectx.findOrderByTag('cc-fut-1', '2026-11-01T00:00:00Z');
    expect(order).toMatchObject({ id, status: 2, fillVolume: 2, customTag: 'cc-fut-1' });
    expect(await h.clients.projectx.searchOpenPositions()).toEqual([
      expect.objectContaining({ contractId: contract.id, type: 1, size: 2 }),
    ]);
  });

  it('reports positions and orders by root in a fresh process that never resolved the contract', async () => {
    // A raw client places the orders, as another process would: this venue's contract cache is empty.
    const mes = await h.clients.projectx.activeContract('MES');
    const nq = await h.clients.projectx.activeContract('NQ');
    for (const [contract, size, side] of [
      [mes, 15, PROJECTX_SIDE.buy],
      [nq, 2, PROJECTX_SIDE.sell],
    ] as const) {
      await h.clients.projectx.placeOrder({
        contractId: contract.id,
        type: PROJECTX_ORDER_TYPE.market,
        side,
        size,
        customTag: `fresh-${contract.id}`,
      });
    }
    // MES fills 5 contracts per tick.
    await h.advance(3);
    const fresh = new ProjectXFuturesVenue({
      client: h.clients.projectx,
      prices: h.clients.nebula,
      now: simulatedNow,
    });
    const positions = await fresh.getPositions();
    expect(positions.map((p) => [p.instrument, p.quantity]).sort()).toEqual([
      ['MES', '15'],
      ['NQ', '-2'],
    ]);
    const other = new ProjectXFuturesVenue({
      client: h.clients.projectx,
      prices: h.clients.nebula,
      now: simulatedNow,
    });
    expect(await other.lookupOrder(`fresh-${nq.id}`)).toMatchObject({
      state: 'found',
      order: { instrument: 'NQ' },
    });
  });

  it('rejects a duplicate customTag inside an HTTP 200 envelope', async () => {
    const contract = await h.clients.projectx.activeContract('MES');
    const order = {
      contractId: contract.id,
      type: PROJECTX_ORDER_TYPE.market,
      side: PROJECTX_SIDE.sell,
      size: 1,
      customTag: 'cc-dup',
    };
    await h.clients.projectx.placeOrder(order);
    const error = (await h.clients.projectx
      .placeOrder(order)
      .catch((e: unknown) => e)) as ProjectXRejectedError;
    expect(error).toBeInstanceOf(ProjectXRejectedError);
    expect(error.errorCode).toBe(2);
    const journal = (await h.journal()).filter((e) => e.clientOrderId === 'cc-dup');
    expect(journal.map((e) => e.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it('refreshes its token through Auth/validate after the refresh age, and logs in again after a 401', async () => {
    let now = 0;
    const breaker = createVenueBreaker({ venue: 'projectx' });
    const client = new ProjectXClient({
      http: createResilientHttp({ venue: 'projectx', baseUrl: `${h.sim.url}/projectx`, breaker }),
      userName: 'u',
      apiKey: 'k',
      accountId: 465,
      tokenRefreshMs: 1_000,
      now: () => now,
    });
    try {
      await client.searchOpenOrders();
      now = 2_000;
      await client.searchOpenOrders();
      // The simulated clock passes the 24 h lifetime: the token is refused and the client logs in again.
      await h.advance(24 * 3600 + 1);
      now = 2_500;
      expect(await client.searchOpenOrders()).toEqual([]);
    } finally {
      breaker.shutdown();
    }
  });

  it('submits idempotently: an ambiguous failure is looked up by tag, and a resend is refused, not duplicated', async () => {
    await h.addFault({ endpoint: 'projectx.place_order', acceptThenTimeoutNext: 1 });
    const intent = {
      clientOrderId: 'cc-step-77-a1',
      market: 'futures',
      instrument: 'MNQ',
      side: 'buy',
      quantity: '10',
      orderType: 'market',
    } as const;
    await expect(venue.submitOrder(intent)).rejects.toBeInstanceOf(OutcomeUnknownError);
    const found = await venue.lookupOrder(intent.clientOrderId);
    expect(found).toMatchObject({
      state: 'found',
      order: { status: 'partially_filled', filledQuantity: '5' },
    });
    // Even a careless resend cannot create a second order: the gateway refuses the tag and we report the first.
    const again = await venue.submitOrder(intent);
    expect(again.venueOrderId).toBe(found.state === 'found' ? found.order.venueOrderId : '');
    const accepted = (await h.journal()).filter(
      (e) => e.clientOrderId === intent.clientOrderId && e.outcome === 'accepted',
    );
    expect(accepted).toHaveLength(1);
    await h.advance(1);
    expect(await venue.getPositions()).toEqual([
      expect.objectContaining({ instrument: 'MNQ', quantity: '10' }),
    ]);
    expect(await venue.lookupOrder('cc-never-sent')).toEqual({ state: 'absent' });
  });

  it('quotes from the price relay, cancels resting limit orders and fills stops when the market trades through', async () => {
    const quote = await venue.getQuote('ES');
    expect(Number(quote.ask) - Number(quote.bid)).toBe(0.25);
    const resting = await venue.submitOrder({
      clientOrderId: 'cc-lim',
      market: 'futures',
      instrument: 'ES',
      side: 'buy',
      quantity: '1',
      orderType: 'limit',
      limitPrice: String(Number(quote.bid) - 100),
    });
    expect(resting.status).toBe('open');
    expect((await venue.cancelOrder('cc-lim')).status).toBe('cancelled');
    const stop = await venue.submitOrder({
      clientOrderId: 'cc-stop',
      market: 'futures',
      instrument: 'ES',
      side: 'sell',
      quantity: '1',
      orderType: 'stop',
      stopPrice: String(Number(quote.last) + 1_000),
    });
    expect(stop.status).toBe('filled');
  });
});
