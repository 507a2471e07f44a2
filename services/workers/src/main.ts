import {
  ATC_VERSION,
  bootRole,
  databaseCheck,
  findMigrationsDirectory,
  InputError,
  Migrator,
  migrationsCheck,
  waitForSchema,
  sessionDatabaseUrl,
  startAdminServer,
} from '@atc/platform';
import { Market, type StepKind, systemClock } from '@atc/contracts';
import { createTradeExecutionCounter, createTradeStepExecutor, readHalts } from '@atc/trading';
import {
  createWorkerMetrics,
  StepNotifications,
  STEPS_CHANNEL,
  SettleBatcher,
  WorkerRuntime,
  type StepExecutor,
} from '@atc/queue';
import {
  createMarketVenues,
  createVenueClients,
  loadVenuesConfig,
  PostgresSignatureStore,
  venuesEnvironment,
  type VenueName,
} from '@atc/venues';
import { createMonitorPositionExecutor } from './monitor-position.executor';
import { workerEnvironment } from './worker.config';

/** The venues each market's worker calls; their breakers gate claiming and readiness. */
export const VENUES_OF_MARKET: Readonly<Record<Market, readonly VenueName[]>> = {
  crypto: ['jupiter', 'solana'],
  options: ['tradier'],
  futures: ['projectx', 'nebula'],
};

const KINDS: readonly StepKind[] = ['close_position', 'execute_trade', 'monitor_position'];

/** `atc worker <crypto|options|futures>`: claims and executes the steps of one market. */
export async function runWorker(marketArgument: string | undefined): Promise<void> {
  const parsed = Market.safeParse(marketArgument);
  if (!parsed.success)
    throw new InputError(`usage: atc worker <crypto|options|futures> (got "${marketArgument ?? ''}")`);
  const market = parsed.data;
  const service = `worker-${market}`;
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service,
    version: ATC_VERSION,
    environment: { ...workerEnvironment, ...venuesEnvironment },
  });
  const venueNames = VENUES_OF_MARKET[market];
  const clients = createVenueClients({ config: loadVenuesConfig(undefined, venueNames), registry, logger });
  const venue = createMarketVenues(clients, { signatureStore: new PostgresSignatureStore(pool), logger })[
    market
  ];

  const trade = createTradeStepExecutor({
    clock: systemClock,
    pool,
    venue,
    actor: `worker:${config.WORKER_ID}`,
    settleWaitMs: config.ORDER_SETTLE_WAIT_MS,
    executions: createTradeExecutionCounter(registry),
  });
  const monitor = createMonitorPositionExecutor(pool);
  const executor: StepExecutor = (step, context) =>
    (step.kind === 'monitor_position' ? monitor : trade)(step, context);

  let haltedUntil = 0;
  let halted = false;
  const breakersClosed = () => venueNames.every((name) => !clients.breakers[name].isOpen);
  const mayClaim = async () => {
    if (!breakersClosed()) return false;
    // The halt is read again, under a share lock, before any order is sent; this cached read only
    // avoids claiming work that would be cancelled.
    if (Date.now() >= haltedUntil) {
      const halts = await readHalts(pool);
      halted = halts.global !== null || halts.markets[market] !== null;
      haltedUntil = Date.now() + config.HALT_CACHE_MS;
    }
    return !halted;
  };

  const runtime = new WorkerRuntime({
    pool,
    market,
    workerId: config.WORKER_ID,
    kinds: KINDS,
    concurrency: config.WORKER_CONCURRENCY,
    prefetch: config.WORKER_PREFETCH,
    leaseMs: config.STEP_LEASE_MS,
    leaseRenewIntervalMs: config.STEP_LEASE_RENEW_INTERVAL_MS,
    pollIntervalMs: config.WORKER_POLL_INTERVAL_MS,
    executor,
    mayClaim,
    logger: logger.child({ market, workerId: config.WORKER_ID }),
    metrics: createWorkerMetrics(registry),
    // The group commit of this process's settles: one per pool.
    settleBatcher: new SettleBatcher(pool),
  });
  const notifications = new StepNotifications({
    // LISTEN holds a session: past a transaction-mode pooler, to the server itself.
    databaseUrl: sessionDatabaseUrl(config),
    applicationName: `atc-${service}-listen`,
    logger,
    onNotify: (payload) => {
      if (payload === market) runtime.wake();
    },
  });

  const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
  const admin = await startAdminServer({
    service,
    port: config.ADMIN_PORT,
    registry,
    logger,
    checks: {
      database: databaseCheck(pool),
      migrations: migrationsCheck(migrator),
      ...clients.readinessChecks(venueNames),
    },
    isDraining: () => shutdown.isShuttingDown,
  });

  // Claims nothing until the schema is this release's (a GitOps install may start it before its migrations).
  if (!(await waitForSchema(migrator, { logger, isStopping: () => shutdown.isShuttingDown }))) {
    await admin.close();
    return;
  }
  await notifications.start();
  runtime.start();
  logger.info({ market, channel: STEPS_CHANNEL, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  shutdown.onShutdown('stop claiming and drain in-flight steps', () => runtime.drain());
  shutdown.onShutdown('stop listening', () => notifications.stop());
  shutdown.onShutdown('venue breakers', () => clients.shutdown());
  shutdown.onFinalShutdown('admin server', () => admin.close());
}
