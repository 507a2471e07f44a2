/**
 * What every request carries from its first byte: a request id (the caller's sane `X-Request-Id` or
 * a new one, echoed), a child logger with it (pino-http, whose access line never holds a credential),
 * and an AbortSignal that fires when the request times out or the client goes away.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '@atc/platform';
import { HttpProblem, sendProblem } from './problem';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Query parameters whose values are credentials: blanked in every logged URL. */
const SECRET_QUERY = /([?&](?:ticket|token|access_token|api_key|apikey|key)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/** The caller's X-Request-Id when it is 1–128 of [A-Za-z0-9._-], else a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The request id of `req` (set by `accessLog`). */
export function requestIdOf(req: IncomingMessage): string {
  // genReqId always returns a string; pino-http types the id more widely.
  return typeof req.id === 'string' ? req.id : JSON.stringify(req.id);
}

/** The level of a request's access line: failures `error`, successful reads `readLevel`, others `info`. */
export function accessLogLevel(
  method: string | undefined,
  statusCode: number,
  failed: boolean,
  readLevel: 'info' | 'debug',
): 'error' | 'info' | 'debug' {
  if (failed || statusCode >= 500) return 'error';
  return (method === 'GET' || method === 'HEAD') && statusCode < 400 ? readLevel : 'info';
}

/**
 * pino-http with an allowlist serializer: method, the URL with secret query values blanked, and a
 * few harmless headers. Authorization, cookies and API keys are never read, so never logged.
 * Successful reads are logged at `readLevel` (API_ACCESS_LOG_READS): a dashboard polled a thousand
 * times a second writes no thousand lines a second at `info`, and the HTTP metrics count every one.
 */
export function accessLog(logger: Logger, readLevel: 'info' | 'debug' = 'info'): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    wrapSerializers: false,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        userAgent: req.headers['user-agent'],
        contentLength: req.headers['content-length'],
        remoteAddress: req.socket.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req, res, error) =>
      accessLogLevel(req.method, res.statusCode, error !== undefined, readLevel),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
}

/** The abort signal of a request, made by `requestDeadline`. */
export function signalOf(res: Response): AbortSignal {
  const signal = (res.locals as { signal?: AbortSignal }).signal;
  if (signal === undefined) throw new Error('requestDeadline must run before the route handlers');
  return signal;
}

/**
 * Gives each request an AbortSignal and a deadline: after `timeoutMs` the signal fires and, if no
 * answer has started, the caller gets a 503 problem; a client that goes away aborts it too, so the
 * handler can stop its database work.
 */
export function requestDeadline(timeoutMs: number): RequestHandler {
  return (req: Request, res: Response, next) => {
    const controller = new AbortController();
    (res.locals as { signal?: AbortSignal }).signal = controller.signal;
    const timer = setTimeout(() => {
      controller.abort(new Error(`request timed out after ${timeoutMs} ms`));
      if (res.headersSent) return;
      req.log.warn({ timeoutMs }, 'request timed out');
      sendProblem(
        res,
        new HttpProblem(503, 'timeout', `The request did not complete within ${timeoutMs} ms; retry later.`),
        requestIdOf(req),
      );
    }, timeoutMs);
    timer.unref();
    // A streaming route (GET /api/stream) lives as long as its client: it lifts the deadline.
    (res.locals as { liftDeadline?: () => void }).liftDeadline = () => clearTimeout(timer);
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished && !controller.signal.aborted) controller.abort(new Error('client closed'));
    });
    next();
  };
}
