/**
 * The one error middleware of the operator API: any error becomes an RFC 9457 problem (platform
 * errors through `httpStatusFor`), 5xx logged at error with the cause and answered with a generic
 * detail, 4xx logged at debug; plus the 404 for a path no route takes.
 * @module
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpProblem, problemFrom, sendProblem } from './problem';
import { requestIdOf } from './request-context';

export function notFound(): RequestHandler {
  return (req, _res, next) =>
    // The original URL's path, not req.path: mounted under `/api`, req.path lacks the mount path.
    next(
      new HttpProblem(404, 'not_found', `No route answers ${req.method} ${req.originalUrl.split('?')[0]}.`),
    );
}

export function problemErrorHandler(bodyLimitBytes: number): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = problemFrom(error, bodyLimitBytes);
    if (problem.status >= 500)
      req.log.error({ err: error, status: problem.status }, 'request failed with a server error');
    else req.log.debug({ status: problem.status, detail: problem.detail }, 'request refused');
    if (res.headersSent) {
      // The answer has begun (a stream): all that is left is to end it.
      res.end();
      return;
    }
    sendProblem(res, problem, requestIdOf(req));
  };
}
