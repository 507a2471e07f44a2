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
import type { ApiServices, Authenticator } from './api/api-route';
import { authSettingsOf, createAuthenticator } from './api/auth';
import { createDashboardApp } from './app';
import { dashboardAuthEnvironment, dashboardEnvironment } from './dashboard.config';

/**
 * `atc dashboard`: the REST API, live stream and web UI, plus the admin port. `services` are what the
 * atc binary injects (the heartbeat run); `authenticator` replaces the one built from the environment
 * (api/auth's createAuthenticator), for tests.
 */
export async function runDashboard(
  options: { services?: ApiServices; authenticator?: Authenticator } = {},
): Promise<void> {
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service: 'dashboard',
    version: ATC_VERSION,
    environment: { ...dashboardEnvironment, ...dashboardAuthEnvironment },
  });
  // Built at start, so contradictory auth settings (JWT on without issuer or audience) fail the start.
  const api = {
    services: options.services ?? {},
    authenticator:
      options.authenticator ??
      createAuthenticator({ pool, clock: systemClock, logger, settings: authSettingsOf(config) }),
  };
  // Merge point: the HTTP stack (api-app.ts, engineer H1) takes `api.services` and `api.authenticator`.
  void api;
  const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
  const health = {
    service: 'dashboard',
    checks: { database: databaseCheck(pool), migrations: migrationsCheck(migrator) },
    isDraining: () => shutdown.isShuttingDown,
  };
  const admin = await startAdminServer({ ...health, port: config.ADMIN_PORT, registry, logger });
  const app = createDashboardApp({ health, logger });
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
