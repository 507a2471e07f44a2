/**
 * `atc heartbeat`: one run, then exit. 0 when the run succeeded or was skipped (another run holds
 * the lease); 1 when any phase failed, the run failed, or the configuration is invalid.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  ATC_VERSION,
  checkDatabaseConnection,
  closePool,
  createLogger,
  createPool,
  loadConfig,
  roleEnvironment,
  type Environment,
  type Logger,
  type Pool,
} from '@atc/platform';
import type { HeartbeatPhase } from './phases/heartbeat-phase';
import { loadVenuesConfig, type VenuesConfig } from '@atc/venues';
import { heartbeatEnvironment, heartbeatSettings } from './heartbeat.config';
import { runHeartbeat, type HeartbeatOutcome, type HeartbeatRunOptions } from './heartbeat-runner';
import { createHeartbeatVenues, type HeartbeatVenues } from './heartbeat-venues';
import { reportVenueHealth } from './venue-health.queries';

export const heartbeatProcessEnvironment = { ...roleEnvironment, ...heartbeatEnvironment } as const;
export type HeartbeatProcessConfig = z.infer<z.ZodObject<typeof heartbeatProcessEnvironment>>;

/** What building the phases may use; `createHeartbeatPhases` (heartbeat-phases.ts) takes what it needs. */
export interface HeartbeatPhaseInputs {
  readonly logger: Logger;
  readonly pool: Pool;
  readonly venues: HeartbeatVenues;
  readonly config: HeartbeatProcessConfig;
}
export type HeartbeatPhaseFactory = (dependencies: HeartbeatPhaseInputs) => readonly HeartbeatPhase[];

/** Everything a run needs that lives as long as the process; built once, in main. */
export interface HeartbeatResources {
  readonly config: HeartbeatProcessConfig;
  readonly logger: Logger;
  readonly owner: string;
  readonly pool: Pool;
  readonly leasePool: Pool;
  readonly phaseApplicationName: string;
  readonly venues: HeartbeatVenues;
  readonly phases: readonly HeartbeatPhase[];
  close(): Promise<void>;
}

export async function buildHeartbeatResources(options: {
  phases: HeartbeatPhaseFactory;
  env?: Environment;
  logger?: Logger;
  registry?: HeartbeatVenuesRegistry;
}): Promise<HeartbeatResources> {
  const config = loadConfig(z.object(heartbeatProcessEnvironment), options.env);
  const venuesConfig: VenuesConfig = loadVenuesConfig(options.env);
  const logger =
    options.logger ??
    createLogger({
      service: 'heartbeat',
      version: ATC_VERSION,
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
    });
  const suffix = randomBytes(4).toString('hex');
  const owner = `${hostname()}:${process.pid}:${suffix}`;
  // Unique per process: cancelling an over-budget phase's SQL by application name touches nothing else.
  const phaseApplicationName = `atc-heartbeat-phases-${process.pid}-${suffix}`;
  const pool = createPool({ config, applicationName: phaseApplicationName, logger });
  const leasePool = createPool({
    config: { ...config, DB_POOL_MAX: 2 },
    applicationName: 'atc-heartbeat',
    logger,
  });
  const venues = createHeartbeatVenues({
    config: venuesConfig,
    logger,
    db: pool,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const close = async () => {
    venues.shutdown();
    await Promise.all([closePool(pool), closePool(leasePool)]);
  };
  try {
    await checkDatabaseConnection(leasePool, config.DATABASE_URL);
  } catch (error) {
    await close();
    throw error;
  }
  const phases = options.phases({ logger, pool, venues, config });
  return { config, logger, owner, pool, leasePool, phaseApplicationName, venues, phases, close };
}

type HeartbeatVenuesRegistry = NonNullable<Parameters<typeof createHeartbeatVenues>[0]['registry']>;

/** One run with the process's resources, then the breaker states it saw for `atc status`. */
export async function runOnce(
  resources: HeartbeatResources,
  signal?: AbortSignal,
  runId?: string,
): Promise<HeartbeatOutcome> {
  const options: HeartbeatRunOptions = {
    pool: resources.pool,
    leasePool: resources.leasePool,
    phaseApplicationName: resources.phaseApplicationName,
    phases: resources.phases,
    settings: heartbeatSettings(resources.config),
    owner: resources.owner,
    logger: resources.logger,
    marketData: resources.venues.marketData,
    venues: resources.venues.reconcileVenues,
    ...(signal ? { signal } : {}),
    ...(runId ? { runId } : {}),
  };
  const outcome = await runHeartbeat(options);
  if (outcome.kind === 'ran') {
    await reportVenueHealth(resources.leasePool, {
      reporter: 'heartbeat',
      states: resources.venues.breakerStates(),
    }).catch((error: unknown) =>
      resources.logger.warn(
        { err: error },
        'could not record the venue breaker states; status will show them stale',
      ),
    );
  }
  return outcome;
}

export function exitCodeOf(outcome: HeartbeatOutcome): number {
  return outcome.kind === 'skipped' || outcome.status === 'success' ? 0 : 1;
}

/**
 * The one-shot process: SIGTERM or SIGINT stops the run (the current phase is cancelled and the run
 * recorded); a second signal exits at once.
 */
export async function runHeartbeatProcess(options: {
  phases: HeartbeatPhaseFactory;
  env?: Environment;
}): Promise<number> {
  const resources = await buildHeartbeatResources(options);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      resources.logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    resources.logger.info({ signal }, 'stopping the heartbeat run');
    controller.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return exitCodeOf(await runOnce(resources, controller.signal));
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await resources.close();
  }
}

/**
 * One run on demand, for POST /api/heartbeat in `atc dashboard`: the resources are built on the first
 * request (so a dashboard without venue settings starts, and only the trigger fails) and kept.
 */
export function createHeartbeatTrigger(options: { phases: HeartbeatPhaseFactory; env?: Environment }): {
  run(request?: { readonly runId?: string }): Promise<HeartbeatOutcome>;
  close(): Promise<void>;
} {
  let resources: Promise<HeartbeatResources> | undefined;
  return {
    async run(request) {
      resources ??= buildHeartbeatResources(options);
      // A failed build is not cached: the next request tries again.
      const built = await resources.catch((error: unknown) => {
        resources = undefined;
        throw error;
      });
      return runOnce(built, undefined, request?.runId);
    },
    async close() {
      if (resources) await (await resources.catch(() => undefined))?.close();
    },
  };
}
