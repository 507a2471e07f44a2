// One chaos-test worker process: the real WorkerRuntime and two-phase trade executor of one MARKET,
// which SIGKILLs itself at the named crash points with probability CRASH_RATE. Options trade on the
// served test venue (VENUE_URL); crypto and futures on the real venue clients against the simulator
// (SIM_URL), crypto with the company's one paper wallet in ATC_HOME, as under `atc up`.
// Run by chaos.int.test.ts; never part of the product.
import { Pool } from 'pg';
import { Market, systemClock } from '@atc/contracts';
import { createLogger } from '@atc/platform';
import { createTradeStepExecutor, type ExecutionCrashPoint, type ExecutionVenue } from '@atc/trading';
import { WorkerRuntime } from '@atc/queue';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  simulatorBaseUrls,
  PostgresSignatureStore,
} from '@atc/venues';
import { RemoteTestVenue } from './remote-test-venue';

const env = process.env;
const logger = createLogger({
  service: 'chaos-worker',
  version: 'test',
  level: env.LOG_LEVEL ?? 'warn',
  format: 'json',
});
const pool = new Pool({
  connectionString: env.DATABASE_URL,
  max: 4,
  application_name: `chaos-${env.WORKER_ID}`,
});
pool.on('error', () => undefined);
const crashRate = Number(env.CRASH_RATE ?? '0');
const crashPoint = (point: ExecutionCrashPoint) => {
  if (Math.random() < crashRate) {
    logger.warn({ point }, 'chaos: crashing at a crash point');
    process.kill(process.pid, 'SIGKILL');
  }
};
const market = Market.parse(env.MARKET ?? 'options');

function simulatorVenue(): ExecutionVenue {
  const sim = env.SIM_URL!;
  const clients = createVenueClients({
    config: loadVenuesConfig({
      ...simulatorBaseUrls(sim),
      ATC_HOME: env.ATC_HOME!,
      VENUE_TIMEOUT_MS: '2000',
    }),
    logger,
  });
  return createMarketVenues(clients, {
    signatureStore: new PostgresSignatureStore(pool),
    logger,
    // The simulated chain ticks every few milliseconds: poll it often, give up after ~5 s.
    crypto: { resendIntervalMs: 100, maxConfirmRounds: 50 },
  })[market];
}

const runtime = new WorkerRuntime({
  pool,
  market,
  workerId: env.WORKER_ID ?? `chaos-${process.pid}`,
  kinds: ['execute_trade', 'close_position'],
  concurrency: Number(env.WORKER_CONCURRENCY ?? '4'),
  leaseMs: Number(env.STEP_LEASE_MS ?? '2000'),
  leaseRenewIntervalMs: Number(env.STEP_LEASE_MS ?? '2000') / 4,
  pollIntervalMs: 50,
  executor: createTradeStepExecutor({
    clock: systemClock,
    pool,
    venue: market === 'options' ? new RemoteTestVenue('options', env.VENUE_URL!) : simulatorVenue(),
    actor: `chaos-${env.WORKER_ID}`,
    settleWaitMs: 20,
    settlePollMs: 10,
    crashPoint,
  }),
  mayClaim: () => true,
  logger,
  backoff: { baseMs: 20, maxMs: 200 },
});
runtime.start();
process.stdout.write('chaos worker ready\n');
process.on('SIGTERM', () => {
  void runtime
    .drain()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
