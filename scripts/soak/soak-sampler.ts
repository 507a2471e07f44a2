/**
 * Samples every role once: its /metrics on its admin port (prom-client's default process metrics)
 * and its PostgreSQL connections in pg_stat_activity, counted by application_name.
 * @module
 */
import type { Pool } from 'pg';
import { connectionsOf, parseProcessMetrics, type SoakSample } from './soak-sample';

export interface SampledRole {
  readonly role: string;
  /** Where the role's /metrics answers: `http://127.0.0.1:9101/metrics`, or a port-forward's. */
  readonly metricsUrl: string;
}

/** Connections to this database by application_name (the roles set `atc-<service>`). */
export async function connectionsByApplication(db: Pool): Promise<Map<string, number>> {
  // current_database(): only the company's database, not another on the same server.
  const { rows } = await db.query<{ application_name: string; connections: number }>(
    `select application_name, count(*)::int as connections
       from pg_stat_activity
      where datname = current_database()
      group by application_name`,
  );
  return new Map(rows.map((row) => [row.application_name, row.connections]));
}

async function readMetrics(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    // A role restarting or stopped is a gap in its line, not the end of the soak.
    return undefined;
  }
}

export async function sampleRoles(options: {
  readonly roles: readonly SampledRole[];
  /** Without a database (a deployment soaked without --database-url), connections are not counted. */
  readonly db: Pool | undefined;
  readonly startedAt: number;
}): Promise<SoakSample[]> {
  const now = Date.now();
  const [connections, ...texts] = await Promise.all([
    options.db
      ? connectionsByApplication(options.db).catch(() => new Map<string, number>())
      : new Map<string, number>(),
    ...options.roles.map((role) => readMetrics(role.metricsUrl)),
  ]);
  return options.roles.map((role, index) => {
    const text = texts[index];
    const figures = text === undefined ? undefined : parseProcessMetrics(text);
    return {
      time: new Date(now).toISOString(),
      elapsedSeconds: Math.round((now - options.startedAt) / 1000),
      role: role.role,
      rssBytes: figures?.rssBytes,
      heapUsedBytes: figures?.heapUsedBytes,
      heapAfterGcBytes: figures?.heapAfterGcBytes,
      eventLoopLagP99Seconds: figures?.eventLoopLagP99Seconds,
      activeHandles: figures?.activeHandles,
      dbConnections: connectionsOf(role.role, connections),
    };
  });
}
