/**
 * The one way a venue client talks HTTP: a timeout on every attempt, the venue's breaker around
 * every attempt (so three consecutive 5xx open it, whichever calls they belong to), retries with
 * backoff on retryable failures, and metrics. A request marked `submission` is never retried
 * unless the failure proves it was not sent (refused connection, 429); any other failure becomes
 * `OutcomeUnknownError`, telling the caller to look the order up first.
 * @module
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { activeTraceHeaders, withSpan } from '../tracing/trace-context';
import type { VenueBreaker } from './circuit-breaker';
import {
  BreakerOpenError,
  HttpStatusError,
  isRetryableFailure,
  isTimeoutError,
  OutcomeUnknownError,
  provesNotSent,
  VenueResponseError,
} from './http-errors';
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  parseRetryAfterMs,
  withRetry,
  type RetryPolicy,
  type Sleep,
} from './http-retry';
import { venueMetrics, type VenueMetrics } from './venue-metrics';

export interface ResilientHttpOptions {
  readonly venue: string;
  readonly baseUrl: string;
  readonly breaker: VenueBreaker;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly registry?: Registry;
  readonly logger?: Logger;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Headers sent on every request (auth); never logged. */
  readonly defaultHeaders?: () => Record<string, string>;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Appended to the base URL. */
  readonly path: string;
  /** A bounded metric label naming the route template, e.g. `place_order`. */
  readonly endpoint: string;
  readonly query?: Record<string, string | undefined>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** An order submission: see the module comment. */
  readonly submission?: boolean;
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface ResilientHttp {
  readonly venue: string;
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Parses the body as JSON; a body that is not JSON is an error naming the endpoint. */
  requestJson<T = unknown>(request: HttpRequest): Promise<{ status: number; headers: Headers; body: T }>;
}

function outcomeOf(error: unknown): string {
  if (error instanceof HttpStatusError) {
    if (error.status === 429) return 'rate_limited';
    return error.status >= 500 ? 'server_error' : 'rejected';
  }
  if (error instanceof BreakerOpenError) return 'breaker_open';
  return isTimeoutError(error) ? 'timeout' : 'network_error';
}

function buildUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export function createResilientHttp(options: ResilientHttpOptions): ResilientHttp {
  const metrics: VenueMetrics | undefined = options.registry ? venueMetrics(options.registry) : undefined;
  const venue = options.venue;

  const attempt = async (request: HttpRequest): Promise<HttpResponse> => {
    const started = process.hrtime.bigint();
    const labels = { venue, endpoint: request.endpoint };
    try {
      const response = await options.breaker.run(async () => {
        const res = await fetch(buildUrl(options.baseUrl, request.path, request.query), {
          method: request.method,
          // The trace context of the venue.request span: the simulator's spans join the trade's trace.
          headers: { ...activeTraceHeaders(), ...options.defaultHeaders?.(), ...request.headers },
          body: request.body,
          signal: AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.status >= 400) {
          throw new HttpStatusError(
            venue,
            request.endpoint,
            res.status,
            text,
            parseRetryAfterMs(res.headers),
          );
        }
        return { status: res.status, headers: res.headers, text };
      });
      metrics?.requests.inc({ ...labels, outcome: 'ok' });
      return response;
    } catch (error) {
      metrics?.requests.inc({ ...labels, outcome: outcomeOf(error) });
      if (error instanceof HttpStatusError && error.status === 429) metrics?.rateLimited.inc(labels);
      throw error;
    } finally {
      metrics?.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    const retryable = req.submission
      ? (error: unknown) => provesNotSent(error) && !(error instanceof BreakerOpenError)
      : isRetryableFailure;
    try {
      return await withRetry(() => attempt(req), {
        policy: options.retry ?? DEFAULT_RETRY_POLICY,
        isRetryable: retryable,
        sleep: options.sleep,
        random: options.random,
        onRetry: ({ retry, delayMs, error }) => {
          metrics?.retries.inc({ venue, endpoint: req.endpoint });
          options.logger?.warn(
            { venue, endpoint: req.endpoint, retry, delayMs, err: error },
            'venue call failed; retrying',
          );
        },
      });
    } catch (error) {
      // For a submission, anything that does not prove "not sent" and is not a clear answer is ambiguous.
      const answered = error instanceof HttpStatusError && error.status < 500;
      if (req.submission && !answered && !provesNotSent(error)) {
        throw new OutcomeUnknownError(venue, req.endpoint, { cause: error });
      }
      throw error;
    }
  };

  /**
   * One venue call, retries included, in its span (`venue.request`): the venue and the endpoint's
   * label, never the URL (a query string can hold a key) or a header.
   */
  const request = (req: HttpRequest): Promise<HttpResponse> => {
    const attributes = {
      'atc.venue': venue,
      'atc.venue.endpoint': req.endpoint,
      'http.request.method': req.method,
      'atc.venue.submission': req.submission === true,
    };
    return withSpan('venue.request', { attributes }, async (span) => {
      const response = await send(req);
      span.setAttribute('http.response.status_code', response.status);
      return response;
    });
  };

  return {
    venue,
    request,
    async requestJson<T>(req: HttpRequest) {
      const res = await request(req);
      try {
        return { status: res.status, headers: res.headers, body: JSON.parse(res.text) as T };
      } catch {
        const malformed = new VenueResponseError(venue, req.endpoint, ['(body): not JSON']);
        if (req.submission) throw new OutcomeUnknownError(venue, req.endpoint, { cause: malformed });
        throw malformed;
      }
    },
  };
}
