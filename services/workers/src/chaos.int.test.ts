import path from 'node:path';
import Decimal from 'decimal.js';
import { silentLogger } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type RunningProcess,
  type TestDatabase,
} from '@atc/platform/testing';
import { applySeeds, reconcile, recoverExpiredLeases } from '@atc/trading';
import { insertQueuedSteps, tunePolicy } from '@atc/trading/testing';
import { TestVenue, type TestVenueFailurePoint } from '@atc/venues';
import { RemoteTestVenue, serveTestVenue, type ServedTestVenue } from './testing/remote-test-venue';

/**
 * The chaos test of design §5 invariants 1–3: four worker processes execute 500 trade steps against
 * one journaling venue while the test SIGKILLs workers at random (at least 20 times), workers kill
 * themselves at crash points around the venue call, and the venue injects faults. After lease
 * recovery and reconciliation: every step is terminal, no client order id reached the venue twice,
 * no step is lost, nothing the venue filled is recorded as failed, and the ledger's positions equal
 * the venue's. Bounded: it stops by itself at DEADLINE_MS.
 */
const STEPS = 500;
const WORKERS = 4;
const KILLS = 20;
const KILL_SPACING_MS = 750;
const LEASE_MS = 1_500;
const DEADLINE_MS = 150_000;
const fixture = path.join(__dirname, 'testing/chaos-worker.fixture.ts');
const SYMBOLS = ['SPY261218C00500000', 'SPY261218P00480000', 'QQQ261218C00450000', 'QQQ261218P00420000'];
const FAULTS: TestVenueFailurePoint[] = [
  'unavailable',
  'before_accept',
  'accept_then_timeout',
  'after_fill',
  'reject',
];

function optionsStep(index: number) {
  const occSymbol = SYMBOLS[index % SYMBOLS.length]!;
  return {
    kind: 'execute_trade',
    market: 'options',
    trade: {
      market: 'options',
      underlying: occSymbol.slice(0, 3),
      occSymbol,
      side: index % 3 === 0 ? 'sell_to_open' : 'buy_to_open',
      quantity: 1 + (index % 2),
      orderType: 'market',
      notionalUsd: '100',
      // The test venue quotes every contract at 100: the queue fixture admits each step at that price.
      referencePrice: '100',
      stopLoss: '1',
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const signed = (rows: { symbol: string; quantity: string }[]) =>
  Object.fromEntries(
    rows
      .filter((r) => !new Decimal(r.quantity).isZero())
      .map((r) => [r.symbol, new Decimal(r.quantity).toFixed()]),
  );

describe('chaos: SIGKILLed workers, crash points and venue faults', () => {
  let db: TestDatabase;
  let served: ServedTestVenue;
  let venue: TestVenue;
  let bundledWorker: string;
  const workers = new Map<number, RunningProcess>();

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await tunePolicy(db.pool, 'trade_limits', { maxTotalExposureUsd: '100000000', maxOpenPositions: 1000 });
    // Deterministic fault plan: one submission in eight fails, cycling through every kind of point.
    let submissions = 0;
    venue = new TestVenue({
      market: 'options',
      failureFor: () => {
        submissions += 1;
        return submissions % 8 === 3 ? FAULTS[(submissions >> 3) % FAULTS.length] : undefined;
      },
    });
    served = await serveTestVenue(venue);
    // Bundled once: a bundled worker restarts in a fraction of tsx's start-up time.
    bundledWorker = await bundleForTest(fixture, REPOSITORY_ROOT);
  });

  afterAll(async () => {
    for (const worker of workers.values()) worker.child.kill('SIGKILL');
    await served.close();
    await db.drop();
  });

  function startWorker(slot: number): void {
    const env = childEnvironment({
      DATABASE_URL: db.url,
      VENUE_URL: served.url,
      WORKER_ID: `chaos-${slot}-${Date.now()}`,
      CRASH_RATE: '0.004',
      STEP_LEASE_MS: String(LEASE_MS),
      LOG_LEVEL: 'error',
    });
    workers.set(slot, runNode([bundledWorker], env));
  }

  const count = async (where: string) =>
    (await db.pool.query<{ n: number }>(`select count(*)::int as n from atc.steps where ${where}`)).rows[0]!
      .n;

  it(
    `${STEPS} steps, ${WORKERS} workers, ≥${KILLS} SIGKILLs: terminal, no duplicate order, nothing lost, ledger = venue`,
    async () => {
      const started = Date.now();
      for (let batch = 0; batch < 5; batch++) {
        await insertQueuedSteps(db.pool, {
          market: 'options',
          count: STEPS / 5,
          maxAttempts: 10,
          payload: (n) => optionsStep(batch * (STEPS / 5) + n),
        });
      }
      for (let slot = 0; slot < WORKERS; slot++) startWorker(slot);

      let kills = 0;
      let deaths = 0;
      let lastKill = 0;
      while (Date.now() - started < DEADLINE_MS) {
        await sleep(250);
        // The heartbeat's job, done here: requeue expired `running` leases, park expired `executing` ones.
        await recoverExpiredLeases(db.pool);
        for (const [slot, worker] of workers) {
          if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
            deaths += 1;
            startWorker(slot);
          }
        }
        // One kill every KILL_SPACING_MS, of a worker that is up and working, so kills and work interleave.
        const up = [...workers.values()].filter(
          (w) => w.child.exitCode === null && w.stdout().includes('ready'),
        );
        if (kills < KILLS && up.length > 0 && Date.now() - lastKill > KILL_SPACING_MS) {
          up[Math.floor(Math.random() * up.length)]!.child.kill('SIGKILL');
          kills += 1;
          lastKill = Date.now();
        }
        if (kills >= KILLS && (await count(`status in ('queued', 'running', 'executing')`)) === 0) break;
      }
      for (const worker of workers.values()) worker.child.kill('SIGKILL');
      await Promise.all([...workers.values()].map((w) => w.exited));
      // A request a worker sent before it died may still be in the venue's queue on a loaded machine.
      await served.quiesce();
      await sleep(LEASE_MS + 200);
      await recoverExpiredLeases(db.pool);

      // The market eventually fills what rested; then reconciliation brings the ledger to the venue.
      venue.fillResting();
      const remote = new RemoteTestVenue('options', served.url);
      for (let round = 0; round < 2; round++) {
        // Every worker is dead and the venue has answered all it received: "not found" is final now.
        await reconcile({
          pool: db.pool,
          venues: { options: remote },
          actor: 'chaos',
          logger: silentLogger(),
          absentAfterMs: 0,
        });
      }

      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(await count('true')).toBe(STEPS);
      expect(await count(`status not in ('succeeded', 'failed', 'cancelled', 'dead')`)).toBe(0);

      const received = new Map<string, number>();
      for (const { intent } of venue.journal)
        received.set(intent.clientOrderId, (received.get(intent.clientOrderId) ?? 0) + 1);
      expect([...received.entries()].filter(([, n]) => n > 1)).toEqual([]);

      const failedButFilled = await db.pool.query(
        `select o.client_order_id from atc.orders o join atc.steps s on s.id = o.step_id
          where s.status in ('failed', 'dead', 'cancelled') and o.filled_quantity > 0`,
      );
      expect(failedButFilled.rows).toEqual([]);

      // Every order's fills in the ledger equal the venue's, and so do the positions they add up to.
      const ledgerOrders = await db.pool.query<{ id: string; filled: string }>(
        `select client_order_id as id, filled_quantity::text as filled from atc.orders`,
      );
      const ledgerFilled = new Map(ledgerOrders.rows.map((r) => [r.id, new Decimal(r.filled).toFixed()]));
      const venueFilled = new Map<string, string>();
      for (const id of received.keys()) {
        const found = await venue.lookupOrder(id);
        if (found.state === 'found') venueFilled.set(id, new Decimal(found.order.filledQuantity).toFixed());
      }
      const mismatched = [...venueFilled].filter(([id, filled]) => (ledgerFilled.get(id) ?? '0') !== filled);
      expect(mismatched).toEqual([]);

      const ledger = await db.pool.query<{ symbol: string; quantity: string }>(
        `select symbol, (case when side = 'short' then -quantity else quantity end)::text as quantity
           from atc.positions where market = 'options' and status = 'open'`,
      );
      const venuePositions = (await venue.getPositions()).map((p) => ({
        symbol: p.instrument,
        quantity: p.quantity,
      }));
      expect(signed(ledger.rows)).toEqual(signed(venuePositions));

      const succeeded = await count(`status = 'succeeded'`);
      process.stdout.write(
        `chaos: ${STEPS} steps, ${kills} kills by the test, ${deaths} worker deaths in all, ` +
          `${venue.journal.length} submissions, ${succeeded} succeeded, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      expect(succeeded).toBeGreaterThan(STEPS / 2);
    },
    DEADLINE_MS + 60_000,
  );
});
