/**
 * Two crypto orders for the same pair and amount, signed by two worker processes within one
 * blockhash, against the real PostgreSQL signature store (a unique signature) and the simulator:
 * each order's swap carries its own priority fee, so neither is refused "nothing sent" and retried
 * seconds later (found by `npm run bench:decision`).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, withTransaction } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, recordOrderIntent } from '@atc/trading';
import { insertQueuedSteps, SOL_MINT } from '@atc/trading/testing';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  simulatorBaseUrls,
  PostgresSignatureStore,
  type VenueClients,
} from '@atc/venues';
import { startSimulator, type RunningSimulator } from '@atc/simulator';
import { advanceSimulatorClock } from '@atc/simulator/testing';

describe('identical crypto orders in one blockhash (real PostgreSQL, the simulator)', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let home: string;
  const processes: VenueClients[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    sim = await startSimulator({ port: 0, seed: 11 });
    home = mkdtempSync(path.join(tmpdir(), 'atc-identical-'));
  });
  afterAll(async () => {
    for (const clients of processes) clients.shutdown();
    await sim.close();
    await db.drop();
    rmSync(home, { recursive: true, force: true });
  });

  const advance = (ticks: number) => advanceSimulatorClock(sim.url, ticks);

  /** Committed intents to sell 0.25 SOL, as the executor records them before any venue call. */
  async function sellIntents(count: number): Promise<string[]> {
    const { stepIds } = await insertQueuedSteps(db.pool, { market: 'crypto', count });
    return Promise.all(
      stepIds.map(async (stepId) =>
        withTransaction(db.pool, (client) =>
          recordOrderIntent(client, {
            stepId,
            attempt: 1,
            market: 'crypto',
            symbol: SOL_MINT,
            side: 'sell',
            orderType: 'market',
            multiplier: '1',
            quantity: '0.25',
            actor: 'test',
          }),
        ).then((intent) => intent.clientOrderId),
      ),
    );
  }

  it('the store refuses a signature already stored for another order (nothing stored for it), and the first writer of one order wins', async () => {
    const [first, second] = await sellIntents(2);
    const store = new PostgresSignatureStore(db.pool);
    const record = (
      clientOrderId: string,
      signature: string,
    ): Parameters<PostgresSignatureStore['save']>[0] => ({
      clientOrderId,
      signature,
      lastValidBlockHeight: 367_850_150,
      transactionBase64: 'AA==',
      instrument: SOL_MINT,
      side: 'sell',
      quantity: '0.25',
      inputMint: SOL_MINT,
      outputMint: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      inAmount: '250000000',
      outAmount: '40000000',
      otherAmountThreshold: '39600000',
      tokenDecimals: 9,
      quoteDecimals: 6,
      priorityFeeLamports: 5_123,
      signedAt: new Date().toISOString(),
    });
    const stored = await store.save(record(first!, 'sig-shared'));
    await expect(store.save(record(second!, 'sig-shared'))).rejects.toMatchObject({
      name: 'SignatureTakenError',
      signature: 'sig-shared',
    });
    expect(await store.load(second!)).toBeUndefined();
    // Another process's record for the same order: the first one stays.
    expect(await store.save(record(first!, 'sig-later'))).toEqual(stored);
  });

  it('signs, stores, sends and fills both at the first attempt, each with its own signature', async () => {
    // The chain stays on one block until both orders went through the store (stored or refused).
    let saves = 0;
    let bothSaved!: () => void;
    const saved = new Promise<void>((resolve) => (bothSaved = resolve));
    class CountingStore extends PostgresSignatureStore {
      override async save(...args: Parameters<PostgresSignatureStore['save']>) {
        try {
          return await super.save(...args);
        } finally {
          if ((saves += 1) === 2) bothSaved();
        }
      }
    }
    const startProcess = () => {
      const clients = createVenueClients({
        config: loadVenuesConfig({ ...simulatorBaseUrls(sim.url), ATC_HOME: home }),
        logger: silentLogger(),
      });
      processes.push(clients);
      return createMarketVenues(clients, {
        signatureStore: new CountingStore(db.pool),
        sleep: async () => {
          await saved;
          await advance(1);
        },
      }).crypto;
    };
    const ids = await sellIntents(2);

    const reports = await Promise.all(
      [startProcess(), startProcess()].map((venue, i) =>
        venue.submitOrder({
          clientOrderId: ids[i]!,
          market: 'crypto',
          instrument: SOL_MINT,
          side: 'sell',
          quantity: '0.25',
          orderType: 'market',
          slippageBps: 100,
        }),
      ),
    );

    expect(reports.map((r) => r.status)).toEqual(['filled', 'filled']);
    const stored = await db.pool.query<{ client_order_id: string; signature: string; height: string }>(
      `select client_order_id, signature, last_valid_block_height::text as height
         from atc.swap_signatures where client_order_id = any($1::text[]) order by client_order_id`,
      [ids],
    );
    expect(stored.rows.map((r) => r.client_order_id)).toEqual([...ids].sort());
    // One blockhash for both, yet two transactions.
    expect(new Set(stored.rows.map((r) => r.height)).size).toBe(1);
    expect(new Set(stored.rows.map((r) => r.signature)).size).toBe(2);
    expect(new Set(reports.map((r) => r.venueOrderId))).toEqual(new Set(stored.rows.map((r) => r.signature)));
    const journal = (await (await fetch(`${sim.url}/_sim/orders`)).json()) as {
      orders: { venue: string; outcome: string }[];
    };
    expect(journal.orders.filter((o) => o.venue === 'solana' && o.outcome === 'accepted')).toHaveLength(2);
  });
});
