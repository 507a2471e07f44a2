import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { systemClock } from '@atc/contracts';
import {
  ATC_VERSION,
  bootRole,
  createPool,
  databaseCheck,
  findMigrationsDirectory,
  kubernetesEnvironment,
  kubeWorkloadsAccess,
  Migrator,
  migrationsCheck,
  sessionDatabaseUrl,
  startAdminServer,
} from '@atc/platform';
import { readBusinessMetrics } from '@atc/trading';
import { createApiApp } from './api/api-app';
import { createFreshRead } from './api/cache/fresh-read';
import { createProposalPages } from './api/cache/proposal-pages';
import type { ApiServices, Authenticator } from './api/api-route';
import { authSettingsOf, createAuthenticator } from './api/auth';
import { signInMethodsOf } from './api/auth/sign-in-methods';
import { apiRoutes } from './api/routes';
import { readStatusResponse } from './api/routes/trading/status.routes';
import { createEventStream } from './api/stream/create-event-stream';
import { createVenueQuoteService } from './venue-quotes';
import {
  apiHttpConfig,
  dashboardAuthEnvironment,
  dashboardEnvironment,
  exporterEnvironment,
  oidcEnvironment,
  sseEnvironment,
  webEnvironment,
} from './dashboard.config';
import { registerBusinessMetrics } from './metrics/business-metrics.exporter';
import { findWebDistDirectory } from './web/web-dist-directory';
import { isWebAppBuilt } from './web/web-app.static';

export interface RunDashboardOptions {
  /** Capabilities of other roles, injected by the `atc` binary (roles never import each other). */
  readonly services?: ApiServices;
  /** Replaces the authenticator built from the environment (api/auth), for tests. */
  readonly authenticator?: Authenticator;
}

/** `atc dashboard`: the REST API, live stream and web UI, plus the admin port. */
export async function runDashboard(options: RunDashboardOptions = {}): Promise<void> {
  const { config, logger, registry, pool, shutdown } = await bootRole({
    service: 'dashboard',
    version: ATC_VERSION,
    environment: {
      ...dashboardEnvironment,
      ...dashboardAuthEnvironment,
      ...oidcEnvironment,
      ...sseEnvironment,
      ...exporterEnvironment,
      ...kubernetesEnvironment,
      ...webEnvironment,
    },
  });
  const http = apiHttpConfig(config);
  // Built at start, so contradictory auth settings (JWT on without issuer or audience) fail the start.
  const authSettings = authSettingsOf(config);
  const authenticator =
    options.authenticator ??
    createAuthenticator({ pool, clock: systemClock, logger, settings: authSettings });
  // The provider's settings are checked at start too; its discovery waits for the first sign-in page.
  const signIn = signInMethodsOf(config, authSettings.jwt, { clock: systemClock, logger });
  const migrator = new Migrator({ pool, directory: findMigrationsDirectory(), logger });
  const health = {
    service: 'dashboard',
    checks: { database: databaseCheck(pool), migrations: migrationsCheck(migrator) },
    isDraining: () => shutdown.isShuttingDown,
  };
  // The business metrics derived from the database, on the admin port's /metrics (docs/operations/metrics.md).
  if (config.EXPORTER_ENABLED) {
    // It only reads: given the read-only role's URL, it uses a small pool of its own on it.
    const exporterPool = config.EXPORTER_DATABASE_URL
      ? createPool({
          config: { ...config, DATABASE_URL: config.EXPORTER_DATABASE_URL, DB_POOL_MAX: 2 },
          applicationName: 'atc-dashboard-exporter',
          logger,
        })
      : pool;
    if (exporterPool !== pool) shutdown.onFinalShutdown('exporter pool', () => exporterPool.end());
    registerBusinessMetrics({
      registry,
      read: (options) => readBusinessMetrics(exporterPool, options),
      clock: systemClock,
      cacheMs: config.EXPORTER_CACHE_MS,
      logger: logger.child({ component: 'exporter' }),
    });
  }
  const admin = await startAdminServer({ ...health, port: config.ADMIN_PORT, registry, logger });
  // One LISTEN connection for every stream client of this process (GET /api/stream).
  const eventStream = createEventStream({
    pool,
    // LISTEN holds a session: past a transaction-mode pooler, to the server itself.
    databaseUrl: sessionDatabaseUrl(config),
    registry,
    logger,
    config,
  });
  // Venue quotes for submissions and approvals, unless the binary injected its own.
  const quotes = options.services?.quoteEntries
    ? undefined
    : createVenueQuoteService({ pool, clock: systemClock, logger });
  // One status read per STATUS_CACHE_MS for every request of the window, however many there are.
  const companyStatus = createFreshRead(() => readStatusResponse(pool, systemClock.now()), {
    maxAgeMs: config.STATUS_CACHE_MS,
    // While the next read runs, requests are answered from the last one for up to five windows.
    maxStaleMs: config.STATUS_CACHE_MS * 5,
    clock: systemClock,
  });
  // Every event the hub reads is a change the status may show (a halt, a fill, a mission): the next
  // GET /api/status reads anew, so a page that refetches at an event never gets figures from before it.
  eventStream.hub.on('batch', () => companyStatus.invalidate());
  // GET /api/proposals: one read per query per window, dropped at every proposal event or write.
  const proposalPages = createProposalPages({
    hub: eventStream.hub,
    maxAgeMs: config.PROPOSAL_LIST_CACHE_MS,
    clock: systemClock,
  });
  // The hub reads events from the start (not only once a browser subscribes), so the shared pages
  // learn of every change; when the database is not there yet, the first stream client starts it.
  eventStream.hub.start().catch((error: unknown) => {
    logger.warn({ err: error }, 'event stream not started yet; shared proposal pages expire by age');
  });
  const web = { directory: path.resolve(config.WEB_DIST_DIR ?? findWebDistDirectory()) };
  // Read per request, so a build made while the dashboard runs is served at the next load.
  if (isWebAppBuilt(web.directory)) logger.info({ directory: web.directory }, 'serving the web app');
  else logger.warn({ directory: web.directory }, 'web app not built: / answers 503 until npm run build');
  const app = createApiApp({
    routes: apiRoutes,
    authenticator,
    pool,
    logger,
    clock: systemClock,
    services: {
      ...(quotes ? { quoteEntries: quotes.quoteEntries } : {}),
      companyStatus,
      proposalPages,
      // The kill switch's scale-down: connects on first use (in a pod: the ServiceAccount the chart binds).
      killSwitchCluster: kubeWorkloadsAccess(config),
      signIn,
      ...options.services,
      eventStream,
    },
    registry,
    http,
    health,
    web,
  });
  const server = app.listen(config.DASHBOARD_PORT, config.DASHBOARD_HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  logger.info({ port: (server.address() as AddressInfo).port }, 'dashboard listening');
  // First the streams (they would keep the server open), then the server.
  shutdown.onShutdown('event stream', () => eventStream.hub.stop());
  shutdown.onShutdown(
    'http server',
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  if (quotes) shutdown.onFinalShutdown('venue clients', () => quotes.shutdown());
  shutdown.onFinalShutdown('admin server', () => admin.close());
}
