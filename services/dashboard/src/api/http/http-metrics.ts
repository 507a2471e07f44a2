/**
 * The operator API's metrics on the admin registry: requests by method, route template and status,
 * their latency, authentication failures by reason and rate-limited requests. The route label is
 * the template (`/api/proposals/:id`), never the raw path, so its values stay bounded.
 * @module
 */
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, METRIC_PREFIX, type Registry } from '@atc/platform';
import type { AuthFailureReason } from '../api-route';

export interface HttpMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly authFailures: Counter<'reason'>;
  readonly rateLimited: Counter;
  authFailed(reason: AuthFailureReason): void;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time from a request arriving to its answer being written, by method, route template and status.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: `${METRIC_PREFIX}api_auth_failures_total`,
    help: 'API requests refused with 401, by reason (missing, malformed, unknown, expired, revoked, …).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: `${METRIC_PREFIX}http_rate_limited_total`,
    help: 'API requests refused with 429 by the per-client rate limit.',
    registers: [registry],
  });
  return {
    requests,
    duration,
    authFailures,
    rateLimited,
    authFailed: (reason) => authFailures.inc({ reason }),
  };
}

/** `res.locals` key of a label set by a handler outside the routes (the web app's `web`). */
export const ROUTE_LABEL_LOCAL = 'routeLabel';

/**
 * The matched route's template; the label a handler outside the routes set (`web`: the web app's
 * files and page); `unmatched` for a request nothing took (404, refused before routing).
 */
export function routeTemplate(req: Request): string {
  const label: unknown = req.res?.locals[ROUTE_LABEL_LOCAL];
  if (typeof label === 'string') return label;
  const route = (req as { route?: { path?: unknown } }).route;
  if (route === undefined) return 'unmatched';
  // A route registered with several paths (the health routes) reports the one that matched.
  return typeof route.path === 'string' ? route.path : req.path;
}

/** Counts and times every answered request, when its last byte is written or the client goes away. */
export function measureRequests(metrics: HttpMetrics): RequestHandler {
  return (req: Request, res: Response, next) => {
    const stop = metrics.duration.startTimer();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      metrics.requests.inc(labels);
      stop(labels);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
