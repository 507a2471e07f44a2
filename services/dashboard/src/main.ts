import type { AddressInfo } from 'node:net';
import { systemClock } from '@atc/contracts';
import {
  ATC_VERSION,
  bootRole,
  databaseCheck,
  findMigrationsDirectory,
  Migrator,
  migrationsCheck,
  startAdminServer,
} from '@atc/platform';
import { createApiApp } from './api/api-app';
import type { ApiServices, Authenticator } from './api/api-route';
import { apiRoutes } from './api/routes';
import { apiHttpConfig, dashboardEnvironment } from './dashboard.config';

export interface RunDashboardOptions {
  /** Capabilities of other roles, injected by the `atc` binary (roles never import each other). */
  readonly services?: ApiServices;
  readonly authenticator?: Authenticator;
}

/**
 * PLACEHOLDER until the real authenticator (API keys, JWT, stream tickets, the heartbeat token in
 * services/dashboard/src/api/auth) is merged and injected: it refuses every credential with reason
 * 'missing', so every non-public route answers 401 rather than trusting anyone.
 */
const refuseEveryoneUntilAuthLands: Authenticator = {
  authenticate: () => Promise.resolve({ ok: false, reason: 'missing' }),
};

/** `atc dashboard`: the REST API, live stream and web UI, plus the admin port. */
export async function runDashboard(options: RunDashboardOptions = {}): Promise<void> {
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service: 'dashboard',
    version: ATC_VERSION,
    environment: dashboardEnvironment,
  });
  const http = apiHttpConfig(config);
  const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
  const health = {
    service: 'dashboard',
    checks: { database: databaseCheck(pool), migrations: migrationsCheck(migrator) },
    isDraining: () => shutdown.isShuttingDown,
  };
  const admin = await startAdminServer({ ...health, port: config.ADMIN_PORT, registry, logger });
  const app = createApiApp({
    routes: apiRoutes,
    authenticator: options.authenticator ?? refuseEveryoneUntilAuthLands,
    pool,
    logger,
    clock: systemClock,
    services: options.services ?? {},
    registry,
    http,
    health,
  });
  const server = app.listen(config.DASHBOARD_PORT, config.DASHBOARD_HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  logger.info({ port: (server.address() as AddressInfo).port }, 'dashboard listening');
  shutdown.onShutdown(
    'http server',
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  shutdown.onFinalShutdown('admin server', () => admin.close());
}
