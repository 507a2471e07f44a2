import { systemClock } from '@atc/contracts';
import {
  ATC_VERSION,
  bootRole,
  databaseCheck,
  findMigrationsDirectory,
  Migrator,
  migrationsCheck,
  waitForSchema,
  startAdminServer,
} from '@atc/platform';
import { createWorkerMetrics, SettleBatcher, WorkerRuntime } from '@atc/queue';
import { AGENT_STEP_KINDS, createAgentStepExecutor } from './agent-step.executor';
import { roundtableEnvironment } from './roundtable.config';
import { createConversationMetrics } from './conversation/conversation.metrics';
import { createAgentVoice } from './voices/create-voice';
import { createRulesVoice } from './voices/rules-voice';

const SERVICE = 'worker-roundtable';

/**
 * `atc worker roundtable`: claims market-less agent steps (analyze, calculate_risk, roundtable) and
 * runs them from the database's figures; a roundtable is a conversation spoken through the voice
 * `createAgentVoice` chooses. Agent steps send no NOTIFY, so the poll
 * timer is the wake-up.
 */
export async function runRoundtableWorker(): Promise<void> {
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service: SERVICE,
    version: ATC_VERSION,
    environment: roundtableEnvironment,
  });
  const voice = createAgentVoice({
    config,
    pool,
    registry,
    logger: logger.child({ component: 'voice' }),
    clock: systemClock,
    rules: createRulesVoice(),
  });
  const runtime = new WorkerRuntime({
    pool,
    market: null,
    workerId: config.WORKER_ID,
    kinds: AGENT_STEP_KINDS,
    concurrency: config.ROUNDTABLE_CONCURRENCY,
    leaseMs: config.STEP_LEASE_MS,
    leaseRenewIntervalMs: config.STEP_LEASE_RENEW_INTERVAL_MS,
    pollIntervalMs: config.WORKER_POLL_INTERVAL_MS,
    executor: createAgentStepExecutor({
      pool,
      clock: systemClock,
      voice,
      conversationMetrics: createConversationMetrics(registry),
    }),
    // No venue to guard: halts stop trades, not thinking, so agent work is always claimable.
    mayClaim: () => true,
    logger: logger.child({ workerId: config.WORKER_ID }),
    metrics: createWorkerMetrics(registry),
    // The group commit of this process's settles: one per pool.
    settleBatcher: new SettleBatcher(pool),
  });

  const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
  const admin = await startAdminServer({
    service: SERVICE,
    port: config.ADMIN_PORT,
    registry,
    logger,
    checks: { database: databaseCheck(pool), migrations: migrationsCheck(migrator) },
    isDraining: () => shutdown.isShuttingDown,
  });

  // Claims nothing until the schema is this release's (a GitOps install may start it before its migrations).
  if (!(await waitForSchema(migrator, { logger, isStopping: () => shutdown.isShuttingDown }))) {
    await admin.close();
    return;
  }
  runtime.start();
  logger.info(
    { kinds: AGENT_STEP_KINDS, concurrency: config.ROUNDTABLE_CONCURRENCY },
    'roundtable worker started',
  );

  shutdown.onShutdown('stop claiming and drain in-flight steps', () => runtime.drain());
  shutdown.onFinalShutdown('voice breaker timer', () => voice.close());
  shutdown.onFinalShutdown('admin server', () => admin.close());
}
