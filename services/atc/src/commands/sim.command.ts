/**
 * `atc sim [--seed N] [--port P]`: the venue simulator as a role. No database: it builds its own
 * logger, registry and shutdown. Serves the venue APIs on SIM_PORT (default 7070) and health and
 * metrics on ADMIN_PORT. The flags win over SIM_SEED and SIM_PORT.
 * @module
 */
import {
  ATC_VERSION,
  createLogger,
  createMetricsRegistry,
  Gauge,
  InputError,
  installShutdown,
  METRIC_PREFIX,
  startAdminServer,
} from '@atc/platform';
import { loadSimulatorConfig, simulatorOptionsFromConfig, startSimulator } from '@atc/simulator';

function flagInteger(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new InputError(`--${name} must be an integer from 0 to ${max}`);
  return Number(value);
}

export async function runSim(options: { seed?: string; port?: string }): Promise<void> {
  const overrides = {
    seed: flagInteger('seed', options.seed, 2 ** 32 - 1),
    port: flagInteger('port', options.port, 65_535),
  };
  const config = loadSimulatorConfig();
  const logger = createLogger({
    service: 'sim',
    version: ATC_VERSION,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });
  const shutdown = installShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const registry = createMetricsRegistry({ service: 'sim', version: ATC_VERSION });
  const simulator = await startSimulator({
    ...simulatorOptionsFromConfig(config, {
      ...(overrides.seed !== undefined ? { seed: overrides.seed } : {}),
      ...(overrides.port !== undefined ? { port: overrides.port } : {}),
    }),
    logger,
  });
  new Gauge({
    name: `${METRIC_PREFIX}sim_clock_tick`,
    help: 'The simulator clock: ticks since start (prices and block heights are functions of it).',
    registers: [registry],
    collect() {
      this.set(simulator.context.clock.tick);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}sim_orders_received`,
    help: 'Order submissions the simulator has received, duplicates included.',
    registers: [registry],
    collect() {
      this.set(simulator.context.journal.all().length);
    },
  });
  const admin = await startAdminServer({
    service: 'sim',
    port: config.ADMIN_PORT,
    registry,
    logger,
    isDraining: () => shutdown.isShuttingDown,
    checks: { simulator: () => Promise.resolve({ ok: simulator.server.listening }) },
  });
  shutdown.onShutdown('simulator', () => simulator.close());
  shutdown.onFinalShutdown('admin server', () => admin.close());
  logger.info({ url: simulator.url, seed: simulator.context.seed }, 'venue simulator ready');
}
