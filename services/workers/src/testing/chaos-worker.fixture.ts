// One chaos-test worker process: the real WorkerRuntime and two-phase trade executor against the
// served test venue, which SIGKILLs itself at the named crash points with probability CRASH_RATE.
// Run by chaos.int.test.ts; never part of the product.
import { Pool } from 'pg';
import { createLogger } from '@atc/platform';
import { createTradeStepExecutor, WorkerRuntime, type ExecutionCrashPoint } from '@atc/trading';
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
const runtime = new WorkerRuntime({
  pool,
  market: 'options',
  workerId: env.WORKER_ID ?? `chaos-${process.pid}`,
  kinds: ['execute_trade', 'close_position'],
  concurrency: Number(env.WORKER_CONCURRENCY ?? '4'),
  leaseMs: Number(env.STEP_LEASE_MS ?? '2000'),
  leaseRenewIntervalMs: Number(env.STEP_LEASE_MS ?? '2000') / 4,
  pollIntervalMs: 50,
  executor: createTradeStepExecutor({
    pool,
    venue: new RemoteTestVenue('options', env.VENUE_URL!),
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
