/**
 * `atc heartbeat --loop`: the local cadence under `atc up` (a Kubernetes cluster uses a CronJob of
 * one-shot runs instead). One run every `HEARTBEAT_INTERVAL_SECONDS`, in this process, on the same
 * pools and venue clients — so the breakers remember failures between runs. The lease still applies:
 * a one-shot `atc heartbeat` started meanwhile skips, or makes this loop's tick skip.
 * @module
 */
import {
  ATC_VERSION,
  createMetricsRegistry,
  databaseCheck,
  Gauge,
  Counter,
  installShutdown,
  startAdminServer,
  type Environment,
  type Registry,
} from '@atc/platform';
import { buildHeartbeatResources, runOnce, type HeartbeatPhaseFactory } from './heartbeat-process';
import type { HeartbeatOutcome } from './heartbeat-runner';

/** The loop process's own metrics (exported for scripts/monitoring/registered-metrics.ts, the PromQL cross-check). */
export function loopMetrics(registry: Registry) {
  return {
    runs: new Counter({
      name: 'atc_heartbeat_runs_total',
      help: 'Heartbeat runs of this loop by outcome (skipped when another run held the lease).',
      labelNames: ['status'],
      registers: [registry],
    }),
    duration: new Gauge({
      name: 'atc_heartbeat_last_run_duration_seconds',
      help: 'Duration of the last heartbeat run this loop performed.',
      registers: [registry],
    }),
    phase: new Gauge({
      name: 'atc_heartbeat_phase_duration_seconds',
      help: 'Duration of each phase in the last heartbeat run this loop performed.',
      labelNames: ['phase'],
      registers: [registry],
    }),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runHeartbeatLoop(options: {
  phases: HeartbeatPhaseFactory;
  env?: Environment;
}): Promise<void> {
  const registry = createMetricsRegistry({ service: 'heartbeat', version: ATC_VERSION });
  const resources = await buildHeartbeatResources({ ...options, registry });
  const { config, logger } = resources;
  const shutdown = installShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const metrics = loopMetrics(registry);
  const admin = await startAdminServer({
    service: 'heartbeat',
    checks: { database: databaseCheck(resources.leasePool) },
    isDraining: () => shutdown.isShuttingDown,
    port: config.ADMIN_PORT,
    registry,
    logger,
  });
  const record = (outcome: HeartbeatOutcome) => {
    metrics.runs.inc({ status: outcome.kind === 'skipped' ? 'skipped' : outcome.status });
    if (outcome.kind !== 'ran') return;
    metrics.duration.set(outcome.durationMs / 1000);
    for (const phase of outcome.phases) metrics.phase.set({ phase: phase.name }, phase.durationMs / 1000);
  };
  const intervalMs = config.HEARTBEAT_INTERVAL_SECONDS * 1000;
  const loop = (async () => {
    while (!shutdown.isShuttingDown) {
      const startedAt = Date.now();
      try {
        record(await runOnce(resources, shutdown.signal));
      } catch (error) {
        metrics.runs.inc({ status: 'error' });
        logger.error({ err: error }, 'heartbeat run failed before it could be recorded');
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - startedAt)), shutdown.signal);
    }
  })();
  logger.info({ intervalSeconds: config.HEARTBEAT_INTERVAL_SECONDS }, 'heartbeat loop started');
  shutdown.onShutdown('heartbeat loop', () => loop);
  shutdown.onFinalShutdown('heartbeat resources', () => resources.close());
  shutdown.onFinalShutdown('admin server', () => admin.close());
}
