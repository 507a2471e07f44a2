import { randomUUID } from 'node:crypto';
import type { Market } from '@atc/contracts';
import { runHeartbeat } from '@atc/heartbeat';
import { silentLogger } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import {
  applySeeds,
  createHeartbeatPhases,
  createTradeStepExecutor,
  verifyAuditChain,
  WorkerRuntime,
  type MarketDataSource,
} from '@atc/trading';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
  startSimulator,
  type RunningSimulator,
  type VenueClients,
} from '@atc/venues';

/**
 * The whole loop, end to end, from an empty (seeded) database: the seeded simulator, the three
 * market workers (the real runtime and two-phase executor, in-process) and the real heartbeat
 * runner with the real phases, on an accelerated clock (each run is 5 minutes later than the one
 * before; the simulator's market moves 60 ticks between runs). It stops when every market has been
 * through signal → proposal → review → mission → step → order → fill → position → close → outcome →
 * lesson memory, or at the deadline.
 */
const MARKETS: readonly Market[] = ['crypto', 'options', 'futures'];
const DEADLINE_MS = 120_000;
const RUN_EVERY_MS = 5 * 60_000;

describe('end to end: signal to lesson in every market', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let clients: VenueClients;
  const workers: WorkerRuntime[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    // Blocks and prices also move in real time (every 50 ms), so a swap's confirmation never waits on the loop.
    sim = await startSimulator({ port: 0, seed: 42, tickIntervalMs: 50 });
  });

  afterAll(async () => {
    // The simulator goes first: a venue call still in flight (a swap waiting for its block) then
    // fails fast, its step settles, and the workers can drain.
    await sim?.close();
    await Promise.race([
      Promise.all(workers.map((w) => w.drain())),
      new Promise((r) => setTimeout(r, 20_000)),
    ]);
    clients?.shutdown();
    await db.drop();
  }, 60_000);

  const completedMarkets = async (): Promise<Market[]> => {
    const rows = await db.pool.query<{ market: Market }>(
      `select distinct o.market from atc.outcomes o
         join atc.memories m on m.source_trace_id = o.id::text and m.type = 'lesson'`,
    );
    return rows.rows.map((r) => r.market);
  };

  it(
    'takes a trade in each market from signal to lesson, every event recorded, the audit chain intact',
    async () => {
      const base = sim.url;
      clients = createVenueClients({
        config: loadVenuesConfig({
          JUPITER_BASE_URL: `${base}/jupiter`,
          SOLANA_RPC_URL: `${base}/solana`,
          TRADIER_BASE_URL: `${base}/tradier/v1`,
          NEBULA_BASE_URL: `${base}/nebula`,
          PROJECTX_BASE_URL: `${base}/projectx`,
          ANTHROPIC_BASE_URL: `${base}/anthropic`,
        }),
        logger: silentLogger(),
      });
      const venues = createMarketVenues(clients, {
        signatureStore: new PostgresSignatureStore(db.pool),
        logger: silentLogger(),
      });
      const marketData: MarketDataSource = {
        quote: (market, instrument) => venues[market].getQuote(instrument),
      };
      for (const market of MARKETS) {
        const worker = new WorkerRuntime({
          pool: db.pool,
          market,
          workerId: `e2e-${market}`,
          kinds: ['close_position', 'execute_trade', 'monitor_position'],
          concurrency: 2,
          leaseMs: 30_000,
          leaseRenewIntervalMs: 10_000,
          pollIntervalMs: 100,
          executor: createTradeStepExecutor({ pool: db.pool, venue: venues[market], actor: `e2e-${market}` }),
          mayClaim: () => true,
          logger: silentLogger(),
        });
        worker.start();
        workers.push(worker);
      }

      const phases = createHeartbeatPhases({ eventSettleMs: 0 });
      const started = Date.now();
      let clock = Date.now();
      let runs = 0;
      while (Date.now() - started < DEADLINE_MS && (await completedMarkets()).length < MARKETS.length) {
        const at = new Date(clock);
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
            seed: runs + 1,
          },
          owner: 'e2e',
          logger: silentLogger(),
          marketData,
          venues,
          clock: () => at,
        });
        expect(outcome.kind).toBe('ran');
        runs += 1;
        clock += RUN_EVERY_MS;
        sim.context.clock.advance(60);
        // Give the workers a moment to take what the run approved.
        await new Promise((resolve) => setTimeout(resolve, 300));
      }

      expect((await completedMarkets()).sort()).toEqual([...MARKETS].sort());

      for (const market of MARKETS) {
        // The chain of one closed position of this market, read back from the outbox.
        const chain = await db.pool.query<{ type: string }>(
          `select distinct type from atc.events where market = $1::text or market is null`,
          [market],
        );
        const types = new Set(chain.rows.map((r) => r.type));
        for (const type of [
          'signal_detected',
          'proposal_decided',
          'mission_created',
          'steps_status_changed',
          'step_status_changed',
          'order_created',
          'fill_recorded',
          'position_changed',
          'outcome_recorded',
          'memory_created',
        ]) {
          expect([market, type, types.has(type)]).toEqual([market, type, true]);
        }
      }
      const verification = await verifyAuditChain(db.pool);
      expect(verification).toMatchObject({ ok: true });
      process.stdout.write(
        `e2e: every market closed a trade and learned from it in ${runs} heartbeat runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    },
    DEADLINE_MS + 60_000,
  );
});
