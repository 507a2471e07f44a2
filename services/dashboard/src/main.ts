import type { AddressInfo } from 'node:net';
import {
  ATC_VERSION,
  bootRole,
  databaseCheck,
  findMigrationsDirectory,
  Migrator,
  migrationsCheck,
  startAdminServer,
} from '@atc/platform';
import { createDashboardApp } from './app';
import { dashboardEnvironment } from './dashboard.config';

/** `atc dashboard`: the REST API, live stream and web UI, plus the admin port. */
export async function runDashboard(): Promise<void> {
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service: 'dashboard',
    version: ATC_VERSION,
    environment: dashboardEnvironment,
  });
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
