/**
 * The dashboard's HTTP application: health on the public port, and the operator API under /api,
 * built from the declared routes (api-route.ts) behind one stack — request ids and access logs,
 * metrics, security headers, CORS, the rate limit, a 64 KB body limit, a request deadline, and
 * one error middleware answering RFC 9457 problems — and, when given its folder, the web app at `/`
 * (web/web-app.static.ts) after the API, so `/api/*` keeps its own 404.
 * @module
 */
import express, { type Express } from 'express';
import type { Clock } from '@atc/contracts';
import type { HealthRoutesOptions, Logger, Pool, Registry } from '@atc/platform';
import type { ApiHttpConfig } from '../dashboard.config';
import { mountHealthRoutes } from '../app';
import type { ApiRoute, ApiServices, Authenticator } from './api-route';
import { apiHealthRoute } from './http/api-health.route';
import { notFound, problemErrorHandler } from './http/error-handler';
import { createHttpMetrics, measureRequests } from './http/http-metrics';
import { accessLog, requestDeadline } from './http/request-context';
import { registerRoutes } from './http/route-handler';
import { corsAllowlist, rateLimitPerClient, securityHeaders } from './http/security';
import { serveWebApp, type WebAppOptions } from '../web/web-app.static';

/** The largest request body accepted (413 above it). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Routes the stack serves itself, beside the areas' routes (the matrix test and OpenAPI list them too). */
export const builtInRoutes: readonly ApiRoute[] = [apiHealthRoute];

export interface ApiAppOptions {
  readonly routes: readonly ApiRoute[];
  readonly authenticator: Authenticator;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly services: ApiServices;
  /** The admin registry: the HTTP metrics are scraped from the admin port. */
  readonly registry: Registry;
  readonly http: ApiHttpConfig;
  readonly health: HealthRoutesOptions;
  /** The web app's build to serve at `/`; absent: only the API and health answer. */
  readonly web?: WebAppOptions;
}

export function createApiApp(options: ApiAppOptions): Express {
  const { http } = options;
  const metrics = createHttpMetrics(options.registry);
  const app = express();
  app.disable('x-powered-by');
  // Who the client is for the rate limit: the socket's address unless TRUST_PROXY names the proxies.
  app.set('trust proxy', typeof http.trustProxy === 'object' ? [...http.trustProxy] : http.trustProxy);
  app.use(measureRequests(metrics));
  app.use(accessLog(options.logger, options.http.accessLogReads));
  app.use(securityHeaders());
  mountHealthRoutes(app, options.health);

  app.use('/api', corsAllowlist(http.corsOrigins));
  app.use('/api', rateLimitPerClient(http.rateLimitPerMinute, metrics));
  app.use('/api', requestDeadline(http.requestTimeoutMs));
  // Every body is read as bytes (up to the limit) and parsed per route, so the route decides whether
  // it takes one, and broken JSON or a wrong content type is refused naming the body.
  app.use('/api', express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }));
  registerRoutes(app, [...builtInRoutes, ...options.routes], {
    authenticator: options.authenticator,
    pool: options.pool,
    clock: options.clock,
    services: options.services,
    metrics,
    validateResponses: http.validateResponses,
  });
  // A path under /api no route took is the API's 404, never the web app's page.
  app.use('/api', notFound());
  if (options.web) app.use(serveWebApp(options.web));
  app.use(notFound());
  app.use(problemErrorHandler(BODY_LIMIT_BYTES));
  return app;
}
