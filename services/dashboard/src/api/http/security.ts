/**
 * The API's guards in front of routing: security headers (helmet, a CSP of the app's own origin
 * only), CORS for the configured origins only, and the per-client rate limit.
 * @module
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { HttpMetrics } from './http-metrics';
import { HttpProblem } from './problem';

/** Helmet's headers with a CSP that lets the page load and connect to its own origin and nothing else. */
export function securityHeaders(): RequestHandler {
  const self = ["'self'"];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: self,
        baseUri: self,
        connectSrc: self,
        fontSrc: self,
        formAction: self,
        frameAncestors: self,
        imgSrc: self,
        scriptSrc: self,
        styleSrc: self,
        objectSrc: ["'none'"],
      },
    },
  });
}

/**
 * CORS for the allowlisted origins; any other origin gets no `Access-Control-*` header at all (not
 * even on a preflight, which then falls through to routing and is refused there). `*` reflects
 * every origin and is refused in production by the config.
 */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const allowAll = origins.includes('*');
  const allowed = new Set(origins);
  const corsHeaders = cors({
    origin: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Last-Event-ID'],
    exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
  return (req, res, next) => {
    // Caches must not serve one origin's answer to another.
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin !== undefined && (allowAll || allowed.has(origin))) corsHeaders(req, res, next);
    else next();
  };
}

/**
 * `perMinute` requests a minute per client address (req.ip: the socket's, or the one the trusted
 * proxies report under TRUST_PROXY), with draft-8 `RateLimit` / `RateLimit-Policy` headers.
 */
export function rateLimitPerClient(perMinute: number, metrics: HttpMetrics): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A forged X-Forwarded-For under the default TRUST_PROXY is expected and ignored: do not warn.
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next) => {
      metrics.rateLimited.inc();
      next(
        new HttpProblem(
          429,
          'rate_limited',
          `More than ${perMinute} requests a minute from this client; retry later.`,
        ),
      );
    },
  });
}
