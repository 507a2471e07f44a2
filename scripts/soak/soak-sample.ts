/**
 * One soak sample per role: what its /metrics says about its process (prom-client's default metrics,
 * `atc_` prefix) and how many PostgreSQL connections carry its application_name; and the CSV of them.
 * @module
 */

export interface SoakSample {
  /** ISO 8601 time of the sample. */
  readonly time: string;
  readonly elapsedSeconds: number;
  readonly role: string;
  readonly rssBytes: number | undefined;
  /** V8 heap used as sampled: not after a GC (one cannot be forced remotely), so it saw-tooths. */
  readonly heapUsedBytes: number | undefined;
  /** V8 heap used as the latest major GC left it; undefined until the role's first one. */
  readonly heapAfterGcBytes: number | undefined;
  readonly eventLoopLagP99Seconds: number | undefined;
  readonly activeHandles: number | undefined;
  /** pg_stat_activity rows named `atc-<role>` or `atc-<role>-…`; undefined for a role without a pool. */
  readonly dbConnections: number | undefined;
}

/** The default metrics read, by the column they fill. */
export const PROCESS_METRICS = {
  rssBytes: 'atc_process_resident_memory_bytes',
  heapUsedBytes: 'atc_nodejs_heap_size_used_bytes',
  /** services/lib/platform/src/heap-after-gc.metrics.ts: 0 until the first major collection. */
  heapAfterGcBytes: 'atc_nodejs_heap_used_after_major_gc_bytes',
  eventLoopLagP99Seconds: 'atc_nodejs_eventloop_lag_p99_seconds',
  activeHandles: 'atc_nodejs_active_handles_total',
} as const;

type ProcessFigures = Pick<SoakSample, keyof typeof PROCESS_METRICS>;

/**
 * The value of each unlabelled-or-singly-labelled sample named in PROCESS_METRICS from Prometheus's
 * text exposition format (`name{labels} value [timestamp]`); a metric absent from the text is undefined.
 */
export function parseProcessMetrics(text: string): ProcessFigures {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match && !values.has(match[1]!)) values.set(match[1]!, Number(match[3]));
  }
  const read = (name: string) => {
    const value = values.get(name);
    return value === undefined || Number.isNaN(value) ? undefined : value;
  };
  return {
    rssBytes: read(PROCESS_METRICS.rssBytes),
    heapUsedBytes: read(PROCESS_METRICS.heapUsedBytes),
    heapAfterGcBytes: read(PROCESS_METRICS.heapAfterGcBytes) || undefined,
    eventLoopLagP99Seconds: read(PROCESS_METRICS.eventLoopLagP99Seconds),
    activeHandles: read(PROCESS_METRICS.activeHandles),
  };
}

/** Connections per role from `application_name → count`: the role's pool and its `-listen` connection. */
export function connectionsOf(role: string, byApplication: ReadonlyMap<string, number>): number | undefined {
  let total: number | undefined;
  for (const [name, count] of byApplication) {
    if (name === `atc-${role}` || name.startsWith(`atc-${role}-`)) total = (total ?? 0) + count;
  }
  return total;
}

export const CSV_COLUMNS = [
  'time',
  'elapsed_s',
  'role',
  'rss_bytes',
  'heap_used_bytes',
  'heap_after_gc_bytes',
  'event_loop_lag_p99_s',
  'active_handles',
  'db_connections',
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\n`;
}

/** One CSV line; an unknown figure is an empty field. Roles and times never contain commas or quotes. */
export function csvLine(sample: SoakSample): string {
  const field = (value: number | string | undefined) => (value === undefined ? '' : String(value));
  return `${[
    sample.time,
    sample.elapsedSeconds,
    sample.role,
    sample.rssBytes,
    sample.heapUsedBytes,
    sample.heapAfterGcBytes,
    sample.eventLoopLagP99Seconds,
    sample.activeHandles,
    sample.dbConnections,
  ]
    .map(field)
    .join(',')}\n`;
}
