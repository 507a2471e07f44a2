/**
 * The local company in one process, at a simulated instant: a cloned database (seeded), the venue
 * simulator started at that instant, the three market workers (the real runtime and two-phase
 * executor, woken by the queue's NOTIFY) and the real heartbeat, whose clock is the simulator's.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock, type Market, type StepKind, systemClock } from '@atc/contracts';
import { createHeartbeatPhases, runHeartbeat, type HeartbeatOutcome } from '@atc/heartbeat';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { applySeeds, createTradeStepExecutor, type MarketDataSource } from '@atc/trading';
import { SettleBatcher, StepNotifications, WorkerRuntime } from '@atc/queue';
import { DatabaseChanges } from '@atc/queue/testing';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  simulatorBaseUrls,
  PostgresSignatureStore,
  type VenueClients,
} from '@atc/venues';
import { startSimulator, type RunningSimulator } from '@atc/simulator';

export const MARKETS: readonly Market[] = ['crypto', 'options', 'futures'];
const WORKER_KINDS: StepKind[] = ['close_position', 'execute_trade', 'monitor_position'];

export interface LocalCompany {
  readonly db: TestDatabase;
  readonly sim: RunningSimulator;
  /** One heartbeat run at the simulator's current instant; returns the outcome and that instant. */
  heartbeat(seed: number): Promise<{ at: Date; outcome: HeartbeatOutcome }>;
  /** Resolves once no trade step of the workers is running or due (each change awaited by NOTIFY). */
  settled(deadlineMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `db` replaces the cloned database: its pool and URL are all the company uses (the roles test passes
 * the app role's), and `close` calls its `drop`.
 */
export async function startLocalCompany(
  startAt: Date,
  options: { db?: TestDatabase } = {},
): Promise<LocalCompany> {
  const db = options.db ?? (await createTestDatabase());
  await applySeeds(db.pool);
  // Blocks and prices also move in real time (every 50 ms), so a swap's confirmation never waits on the loop.
  const sim = await startSimulator({ port: 0, seed: 42, tickIntervalMs: 50, startTimeMs: startAt.getTime() });
  // The company's paper wallet lives in a state directory of its own, never the checkout's .atc.
  const home = mkdtempSync(path.join(tmpdir(), 'atc-company-'));
  const clients = venueClientsOf(sim, home);
  const venues = createMarketVenues(clients, {
    signatureStore: new PostgresSignatureStore(db.pool),
    logger: silentLogger(),
    clock: { now: () => sim.context.clock.now() },
  });
  const marketData: MarketDataSource = { quote: (market, instrument) => venues[market].getQuote(instrument) };
  // One group commit for the pool the workers share, as one process's runtimes would share it.
  const settleBatcher = new SettleBatcher(db.pool);
  const workers = MARKETS.map(
    (market) =>
      new WorkerRuntime({
        pool: db.pool,
        market,
        workerId: `e2e-${market}`,
        kinds: WORKER_KINDS,
        concurrency: 2,
        leaseMs: 30_000,
        leaseRenewIntervalMs: 10_000,
        pollIntervalMs: 1_000,
        executor: createTradeStepExecutor({
          clock: systemClock,
          pool: db.pool,
          venue: venues[market],
          actor: `e2e-${market}`,
        }),
        mayClaim: () => true,
        logger: silentLogger(),
        settleBatcher,
      }),
  );
  const notifications = new StepNotifications({
    databaseUrl: db.url,
    applicationName: 'e2e-steps',
    logger: silentLogger(),
    onNotify: (market) => workers.find((_, i) => MARKETS[i] === market)?.wake(),
  });
  await notifications.start();
  for (const worker of workers) worker.start();
  const changes = await DatabaseChanges.listen(db.url);
  const phases = createHeartbeatPhases({ eventSettleMs: 0 });

  return {
    db,
    sim,
    async heartbeat(seed) {
      const at = sim.context.clock.now();
      const outcome = await runHeartbeat({
        pool: db.pool,
        leasePool: db.pool,
        phaseApplicationName: `e2e-${randomUUID()}`,
        phases,
        settings: {
          timeoutMs: 30_000,
          phaseBudgetMs: 10_000,
          phaseBudgetsMs: {},
          leaseTtlMs: 15_000,
          cancelGraceMs: 1_000,
          seed,
        },
        owner: 'e2e',
        logger: silentLogger(),
        marketData,
        venues,
        clock: fixedClock(at),
      });
      return { at, outcome };
    },
    settled: (deadlineMs) => settled(db, changes, deadlineMs),
    async close() {
      // The simulator goes first: a venue call still in flight (a swap waiting for its block) then
      // fails fast, its step settles, and the workers can drain.
      await sim.close();
      await Promise.race([
        Promise.all(workers.map((w) => w.drain())),
        // eslint-disable-next-line no-restricted-syntax -- a deadline: a drain that hangs must not hang the teardown
        new Promise((resolve) => setTimeout(resolve, 20_000).unref()),
      ]);
      await notifications.stop();
      await changes.close();
      clients.shutdown();
      await db.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function venueClientsOf(sim: RunningSimulator, home: string): VenueClients {
  return createVenueClients({
    config: loadVenuesConfig({ ...simulatorBaseUrls(sim.url), ATC_HOME: home }),
    logger: silentLogger(),
  });
}

async function openTradeSteps(db: TestDatabase): Promise<number> {
  const { rows } = await db.pool.query<{ open: number }>(
    `select count(*)::int as open from atc.steps
      where market is not null and kind = any($1::text[])
        and (status in ('running', 'executing') or (status = 'queued' and run_after <= now()))`,
    [WORKER_KINDS],
  );
  return rows[0]!.open;
}

function settled(db: TestDatabase, changes: DatabaseChanges, deadlineMs: number): Promise<void> {
  return changes.until('no trade step is running or due', async () => (await openTradeSteps(db)) === 0, {
    deadlineMs,
  });
}
