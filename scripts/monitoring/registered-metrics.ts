/**
 * The metric names the code registers, collected from real registries: one per role, built with the
 * same factory functions the role's `main.ts` calls at start (see ROLE_METRICS). The PromQL
 * cross-check (promql-crosscheck.ts) holds every rule and dashboard expression to this list, so a
 * renamed metric breaks the build.
 *
 * Adding a role's metrics is one line in ROLE_METRICS: call its factory on the registry.
 * @module
 */
import type { Pool } from 'pg';
import { systemClock } from '@atc/contracts';
import {
  createMetricsRegistry,
  registerRoleReadyMetric,
  silentLogger,
  venueMetrics,
  type Registry,
} from '@atc/platform';
import { createWorkerMetrics } from '@atc/queue';
import { createTradeExecutionCounter } from '@atc/trading';
// Not on the packages' public surfaces: a script may reach into a role's folder (roles may not).
import { registerPoolMetrics } from '../../services/lib/platform/src/metrics';
import { createHttpMetrics } from '../../services/dashboard/src/api/http/http-metrics';
import { createStreamMetrics } from '../../services/dashboard/src/api/stream/stream-metrics';
import { loopMetrics } from '../../services/heartbeat/src/heartbeat-loop';
import { registerBusinessMetrics } from '../../services/dashboard/src/metrics/business-metrics.exporter';
import { llmMetrics } from '../../services/roundtable/src/voices/llm-metrics';

/**
 * Stands in for the pg pool the gauges read at scrape time: an idle, empty pool. No database is
 * needed to list names.
 */
const IDLE_POOL = {
  totalCount: 0,
  idleCount: 0,
  waitingCount: 0,
  query: () => Promise.resolve({ rows: [], rowCount: 0 }),
} as unknown as Pool;

/** What `bootRole` (services/lib/platform/src/role-runtime.ts) registers for every role that uses it. */
function bootedRole(registry: Registry): void {
  registerPoolMetrics(registry, IDLE_POOL, 'main', 10);
}

/** What `startAdminServer` registers on every long-running role's registry: `atc_role_ready`. */
function adminServer(registry: Registry): void {
  registerRoleReadyMetric(registry, { service: 'crosscheck', checks: {} });
}

/**
 * Each role's metrics, as its `main.ts` registers them (the registry itself comes from
 * createMetricsRegistry: Node's defaults and atc_build_info). One line per factory.
 */
export const ROLE_METRICS: Readonly<Record<string, (registry: Registry) => void>> = {
  // services/dashboard/src/main.ts: bootRole, the business-metrics exporter, the admin server,
  // createApiApp (http metrics), createEventStream (stream metrics).
  dashboard: (registry) => {
    bootedRole(registry);
    // Names only: the snapshot is never read successfully here (no database), which the exporter survives.
    registerBusinessMetrics({
      registry,
      read: () => Promise.reject(new Error('no database: the cross-check lists names only')),
      clock: systemClock,
      cacheMs: 60_000,
      logger: silentLogger(),
    });
    adminServer(registry);
    createHttpMetrics(registry);
    createStreamMetrics(registry);
  },
  // services/workers/src/main.ts: bootRole, createVenueClients (venue metrics), the trade executor's
  // counter, createWorkerMetrics, the admin server.
  worker: (registry) => {
    bootedRole(registry);
    venueMetrics(registry);
    createTradeExecutionCounter(registry);
    createWorkerMetrics(registry);
    adminServer(registry);
  },
  // services/roundtable/src/main.ts: bootRole, createWorkerMetrics, the admin server; with
  // ANTHROPIC_API_KEY the LLM voices' metrics and their Anthropic client's venue metrics.
  roundtable: (registry) => {
    bootedRole(registry);
    createWorkerMetrics(registry);
    llmMetrics(registry);
    venueMetrics(registry);
    adminServer(registry);
  },
  // services/heartbeat/src/heartbeat-loop.ts: its venue clients (venue metrics), the loop's metrics, the admin server.
  heartbeat: (registry) => {
    venueMetrics(registry);
    loopMetrics(registry);
    adminServer(registry);
  },
  // services/atc/src/commands/sim.command.ts: the registry (its two simulator gauges are defined
  // inline) and the admin server.
  simulator: adminServer,
};

/** The series names a metric of this type exposes. */
function seriesNames(name: string, type: string): string[] {
  switch (type) {
    case 'histogram':
      return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`];
    default:
      return [name];
  }
}

/** Every series name some role exposes, with the roles that expose it. */
export async function registeredMetricNames(): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  for (const [role, register] of Object.entries(ROLE_METRICS)) {
    const registry = createMetricsRegistry({ service: role, version: 'crosscheck' });
    register(registry);
    for (const metric of await registry.getMetricsAsJSON()) {
      for (const name of seriesNames(metric.name, String(metric.type))) {
        names.set(name, [...(names.get(name) ?? []), role]);
      }
    }
  }
  return names;
}
