/**
 * Issue 13 §4: a drift alarm means a real difference. Against the real simulator and the real venue
 * clients, each case that used to raise a false alarm — the wallet's SOL (and USDC) on an empty
 * ledger, a futures contract id against the ledger's root in a fresh process, crypto positions
 * traded by several processes — reports no drift; one real difference reports exactly one.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { latestOpenWindow, type Market, type OrderSide, systemClock } from '@atc/contracts';
import { silentLogger, withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, FUTURES_POINT_VALUE, reconcile, recordOrderIntent, syncVenueOrder } from '@atc/trading';
import { insertQueuedSteps } from '@atc/trading/testing';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  simulatorBaseUrls,
  PostgresSignatureStore,
  type MarketVenues,
  type VenueClients,
} from '@atc/venues';
import { INSTRUMENTS, startSimulator, type RunningSimulator } from '@atc/simulator';
import { advanceSimulatorClock } from '@atc/simulator/testing';

const mint = (symbol: string) => INSTRUMENTS.find((i) => i.symbol === symbol)!.mint!;
const BONK = mint('BONK');
const JUP = mint('JUP');

describe('reconciliation drift (real PostgreSQL, the simulator, one paper wallet)', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let home: string;
  const processes: VenueClients[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    // Futures fill in session only: start in the latest window open for the test, near today.
    sim = await startSimulator({
      port: 0,
      seed: 7,
      startTimeMs: latestOpenWindow(['futures'], new Date(), 3).getTime(),
    });
    home = mkdtempSync(path.join(tmpdir(), 'atc-drift-'));
  });
  afterAll(async () => {
    for (const clients of processes) clients.shutdown();
    await sim.close();
    await db.drop();
    rmSync(home, { recursive: true, force: true });
  });

  const advance = (ticks: number) => advanceSimulatorClock(sim.url, ticks);

  /** What one role process builds in its main: its own clients and caches, the company's wallet. */
  function startProcess(): MarketVenues {
    const clients = createVenueClients({
      config: loadVenuesConfig({
        ...simulatorBaseUrls(sim.url),
        ATC_HOME: home,
      }),
      logger: silentLogger(),
    });
    processes.push(clients);
    return createMarketVenues(clients, {
      signatureStore: new PostgresSignatureStore(db.pool),
      // Each confirmation pause lets one block pass on the simulated chain.
      sleep: () => advance(1),
    });
  }

  /** The execution path in miniature: intent committed, order sent, the venue's report booked. */
  async function trade(
    venues: MarketVenues,
    order: { market: Market; instrument: string; side: OrderSide; quantity: string },
  ): Promise<string> {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: order.market, count: 1 });
    const intent = await withTransaction(db.pool, (client) =>
      recordOrderIntent(client, {
        stepId: stepIds[0]!,
        attempt: 1,
        market: order.market,
        symbol: order.instrument,
        side: order.side,
        orderType: 'market',
        multiplier: order.market === 'futures' ? FUTURES_POINT_VALUE[order.instrument]! : '1',
        quantity: order.quantity,
        actor: 'test',
      }),
    );
    const venue = venues[order.market];
    let report = await venue.submitOrder({
      clientOrderId: intent.clientOrderId,
      market: order.market,
      instrument: order.instrument,
      side: order.side,
      quantity: order.quantity,
      orderType: 'market',
      slippageBps: 300,
    });
    if (report.status !== 'filled') {
      await advance(2);
      const found = await venue.lookupOrder(intent.clientOrderId);
      if (found.state !== 'found') throw new Error(`order ${intent.clientOrderId} not found`);
      report = found.order;
    }
    await withTransaction(db.pool, (client) => syncVenueOrder(client, report, 'test', new Date()));
    return intent.clientOrderId;
  }

  const runReconcile = async (venues: MarketVenues) =>
    (await reconcile({ clock: systemClock, pool: db.pool, venues, actor: 'test', logger: silentLogger() }))
      .drift;

  it('reports no drift on a brand-new database, although the wallet holds SOL and USDC', async () => {
    expect(await runReconcile(startProcess())).toEqual([]);
  });

  it('reports no drift after trades by several processes, read by a fresh one; then one real difference is exactly one', async () => {
    const workerA = startProcess();
    const workerB = startProcess();
    const bonk = await trade(workerA, {
      market: 'crypto',
      instrument: BONK,
      side: 'buy',
      quantity: '5000000',
    });
    await trade(workerB, { market: 'crypto', instrument: JUP, side: 'buy', quantity: '120.5' });
    await trade(workerB, { market: 'crypto', instrument: BONK, side: 'sell', quantity: '1000000' });
    await trade(workerA, { market: 'futures', instrument: 'MES', side: 'buy', quantity: '3' });
    await trade(workerA, { market: 'futures', instrument: 'NQ', side: 'sell', quantity: '1' });

    const positions = await db.pool.query<{ symbol: string }>(
      `select symbol from atc.positions where status = 'open' order by symbol`,
    );
    expect(positions.rows.map((r) => r.symbol).sort()).toEqual([BONK, JUP, 'MES', 'NQ'].sort());

    // The fill is the chain's; the quote is kept as the expected price, with the slippage and the fee.
    const recorded = await db.pool.query<{ execution: Record<string, unknown> }>(
      `select intent -> 'execution' as execution from atc.orders where client_order_id = $1::text`,
      [bonk],
    );
    const execution = recorded.rows[0]!.execution;
    expect(execution).toMatchObject({ venueFee: { currency: 'SOL' } });
    // One signature's 5,000 lamports plus the 5,000-lamport base priority fee and the order's own offset (< 1,000).
    const feeLamports = new Decimal((execution.venueFee as { amount: string }).amount).mul(1e9);
    expect([feeLamports.isInteger(), feeLamports.gte(10_000), feeLamports.lt(11_000)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(new Decimal(execution.expectedPrice as string).gt(0)).toBe(true);
    expect(new Decimal(execution.slippageBps as string).isZero()).toBe(false);

    // The heartbeat's reconciler and `atc reconcile` are fresh processes: no contract list loaded.
    const fresh = startProcess();
    expect(await runReconcile(fresh)).toEqual([]);

    await db.pool.query(
      `update atc.positions set quantity = quantity + 1 where symbol = $1::text and status = 'open'`,
      [JUP],
    );
    const drift = await runReconcile(startProcess());
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ market: 'crypto', symbol: JUP });
    expect(new Decimal(drift[0]!.ledgerQuantity).minus(drift[0]!.venueQuantity).toFixed()).toBe('1');
  });

  it('books a swap the venue reports filled as filled, though it delivered less than the order asked', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count: 1 });
    const order = await withTransaction(db.pool, (client) =>
      recordOrderIntent(client, {
        stepId: stepIds[0]!,
        attempt: 1,
        market: 'crypto',
        symbol: JUP,
        side: 'buy',
        multiplier: '1',
        orderType: 'market',
        quantity: '10',
        actor: 'test',
      }),
    );
    const booked = await withTransaction(db.pool, (client) =>
      syncVenueOrder(
        client,
        {
          clientOrderId: order.clientOrderId,
          venueOrderId: 'sig-short',
          instrument: JUP,
          side: 'buy',
          quantity: '10',
          status: 'filled',
          filledQuantity: '9.987654',
          averagePrice: '0.81',
          expectedPrice: '0.8',
        },
        'test',
        new Date(),
      ),
    );
    expect(booked).toMatchObject({ status: 'filled', filledQuantity: '9.987654' });
    const execution = await db.pool.query<{ execution: unknown }>(
      `select intent -> 'execution' as execution from atc.orders where client_order_id = $1::text`,
      [order.clientOrderId],
    );
    // Paid 0.81 against 0.80 expected: 125 bps worse.
    expect(execution.rows[0]!.execution).toMatchObject({ expectedPrice: '0.8', slippageBps: '125' });
  });
});
