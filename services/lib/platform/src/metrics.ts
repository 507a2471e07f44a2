import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Pool } from 'pg';
import { registerHeapAfterGcMetric } from './heap-after-gc.metrics';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'atc_';

/** One registry per process, with Node's default metrics under the `atc_` prefix. */
export function createMetricsRegistry(labels: { service: string; version: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: labels.service });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  registerHeapAfterGcMetric(registry, METRIC_PREFIX);
  new Gauge({
    name: `${METRIC_PREFIX}build_info`,
    help: 'Always 1; the labels say which build is running.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: labels.version }, 1);
  return registry;
}

/**
 * Connection pool gauges, read at scrape time, so "pool usage over 80 %" can be alerted on as
 * `atc_db_pool_connections_total / atc_db_pool_connections_max`.
 */
export function registerPoolMetrics(
  registry: Registry,
  pool: Pool,
  poolName: string,
  maxConnections: number,
): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name: `${METRIC_PREFIX}db_pool_${name}`,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        this.set({ pool: poolName }, read());
      },
    });
  gauge('connections_total', 'Connections the pool holds, busy or idle.', () => pool.totalCount);
  gauge('connections_idle', 'Connections the pool holds that are idle.', () => pool.idleCount);
  gauge('clients_waiting', 'Callers queued waiting for a connection.', () => pool.waitingCount);
  gauge('connections_max', 'The most connections the pool may open.', () => maxConnections);
}
