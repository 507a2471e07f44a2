import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger';
import { errorMessage } from './errors';
import type { Migrator } from './db/migrations';

export interface CheckResult {
  readonly ok: boolean;
  readonly detail?: string;
}

/** A named readiness check. It should answer quickly; a slow one counts as failed after `CHECK_TIMEOUT_MS`. */
export type ReadinessCheck = () => Promise<CheckResult>;

const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Record<string, { status: 'ok' | 'fail'; detail?: string }>;
}

export async function runReadinessChecks(checks: Record<string, ReadinessCheck>): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
          CHECK_TIMEOUT_MS,
        );
      });
      const result = await Promise.race([
        check().catch((error: unknown): CheckResult => ({ ok: false, detail: errorMessage(error) })),
        timeout,
      ]);
      clearTimeout(timer);
      const entry: { status: 'ok' | 'fail'; detail?: string } = { status: result.ok ? 'ok' : 'fail' };
      if (result.detail !== undefined) entry.detail = result.detail;
      return [name, entry] as const;
    }),
  );
  const allOk = entries.every(([, entry]) => entry.status === 'ok');
  return { status: allOk ? 'ready' : 'not_ready', checks: Object.fromEntries(entries) };
}

export function databaseCheck(pool: Pool): ReadinessCheck {
  return async () => {
    await pool.query('select 1');
    return { ok: true };
  };
}

export function migrationsCheck(migrator: Migrator): ReadinessCheck {
  return async () => {
    const state = await migrator.schemaState();
    if (state === 'behind') return { ok: false, detail: 'schema is behind the code: run `atc migrate up`' };
    // Mid rolling upgrade the new release migrates first; this one keeps serving until replaced.
    return state === 'ahead'
      ? { ok: true, detail: 'schema is ahead of this release (a newer release migrated it)' }
      : { ok: true };
  };
}

export interface HealthRoutesOptions {
  readonly service: string;
  readonly checks: Record<string, ReadinessCheck>;
  /** While draining, readiness answers 503 so the Service stops sending traffic. */
  readonly isDraining?: () => boolean;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

const READ_METHODS = ['GET', 'HEAD'] as const;

/**
 * Health and metrics are read-only: any other method gets 405 with an `Allow` header, as HTTP asks,
 * so a probe or scraper misconfigured with POST learns it at once. Returns true when it answered.
 */
export function refuseWrongMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? 'GET';
  if ((READ_METHODS as readonly string[]).includes(method)) return false;
  res.setHeader('allow', READ_METHODS.join(', '));
  sendJson(res, 405, {
    error: { code: 'method_not_allowed', message: `${method} is not allowed here; use GET` },
  });
  return true;
}

/** Answers `/health` and `/health/ready`; returns false for any other path. Shared with the dashboard's own port. */
export async function handleHealthRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: HealthRoutesOptions,
): Promise<boolean> {
  const url = (req.url ?? '/').split('?')[0];
  if ((url === '/health' || url === '/health/ready') && refuseWrongMethod(req, res)) return true;
  if (url === '/health') {
    // Liveness does no I/O: a slow database must not get the pod restarted.
    sendJson(res, 200, { status: 'ok', service: options.service });
    return true;
  }
  if (url === '/health/ready') {
    if (options.isDraining?.()) {
      sendJson(res, 503, { status: 'draining', service: options.service, checks: {} });
      return true;
    }
    const report = await runReadinessChecks(options.checks);
    sendJson(res, report.status === 'ready' ? 200 : 503, { ...report, service: options.service });
    return true;
  }
  return false;
}

export interface AdminServerOptions extends HealthRoutesOptions {
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  readonly logger: Logger;
}

export interface AdminServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `atc_role_ready`: 1 when the role would answer `/health/ready` with 200, else 0 — the same checks,
 * run at scrape time, so an alert sees what the kubelet sees. Registered once per registry.
 */
export function registerRoleReadyMetric(registry: Registry, options: HealthRoutesOptions): void {
  if (registry.getSingleMetric('atc_role_ready')) return;
  new Gauge({
    name: 'atc_role_ready',
    help: 'The role passes its readiness checks (1) or not (0, including while draining).',
    registers: [registry],
    async collect() {
      if (options.isDraining?.()) return this.set(0);
      const report = await runReadinessChecks(options.checks);
      this.set(report.status === 'ready' ? 1 : 0);
    },
  });
}

/** The admin port every long-running role serves: liveness, readiness and Prometheus metrics. */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  registerRoleReadyMetric(options.registry, options);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (await handleHealthRequest(req, res, options)) return;
        if ((req.url ?? '').split('?')[0] === '/metrics') {
          if (refuseWrongMethod(req, res)) return;
          const body = await options.registry.metrics();
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(body);
          return;
        }
        sendJson(res, 404, { error: { code: 'not_found', message: 'no such admin route' } });
      } catch (error) {
        options.logger.error({ err: error, url: req.url }, 'admin request failed');
        if (!res.headersSent)
          sendJson(res, 500, { error: { code: 'internal', message: 'admin request failed' } });
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'admin server listening');
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
