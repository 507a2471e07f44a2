/**
 * The failures an outbound HTTP call can end in, classified the way a caller needs them: retry it,
 * give up, or — for an order submission — find out what happened before doing anything else.
 * @module
 */

import { AtcError, PermanentError, UnavailableError } from '../errors';

/**
 * The venue answered with a non-2xx status. `body` is the raw text, kept for the client to parse.
 * Neither permanent nor unavailable by class: `isRetryableFailure` and the clients decide from the
 * status (a business 4xx becomes a rejection, a 5xx is retried).
 */
export class HttpStatusError extends AtcError {
  readonly code = 'venue_http_status';
  constructor(
    readonly venue: string,
    readonly endpoint: string,
    readonly status: number,
    readonly body: string,
    /** From `Retry-After` (seconds or HTTP date) or `retry-after-ms`, when the venue sent one. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(`${venue} ${endpoint} answered HTTP ${status}`, { details: { venue, endpoint, status } });
  }

  /** 4xx other than 408 and 429: the venue understood the request and refused it. */
  get isBusinessRejection(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

/**
 * The request may have reached the venue and we do not know what it did (a timeout, a reset after
 * send, a 5xx on a submission). The only safe next step is a lookup by client order id.
 */
export class OutcomeUnknownError extends AtcError {
  readonly code = 'outcome_unknown';
  constructor(
    readonly venue: string,
    readonly endpoint: string,
    options: { cause: unknown },
  ) {
    super(`${venue} ${endpoint}: outcome unknown, look the order up before resending`, {
      cause: options.cause,
      details: { venue, endpoint },
    });
  }
}

/** The venue's breaker is open: nothing was sent. Safe to retry later. */
export class BreakerOpenError extends UnavailableError {
  constructor(readonly venue: string) {
    super(`${venue} circuit breaker is open; request not sent`, { details: { venue } });
  }
}

/**
 * The venue answered 2xx with a body that is not the format we know (not JSON, a field missing or of
 * another type): `issues` name each field path. Permanent, since asking again gets the same body;
 * for an order submission the caller wraps it in `OutcomeUnknownError`, because the order may
 * still have been accepted (design §5 invariant 2: look it up, never resend blindly).
 */
export class VenueResponseError extends PermanentError {
  constructor(
    readonly venue: string,
    readonly endpoint: string,
    readonly issues: readonly string[],
  ) {
    super(`${venue} ${endpoint} answered an unexpected body: ${issues.join('; ')}`, {
      details: { venue, endpoint, issues },
    });
  }
}

/** Node's and undici's names for "could not connect at all": the request never left this process. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const NETWORK_CODES: ReadonlySet<string> = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

// Name checks, not instanceof: fetch's DOMException and TypeError can come from another realm (jest).
function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function messageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

export function isTimeoutError(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A transport failure (no HTTP status): refused, reset, DNS, socket closed, or our own timeout. */
export function isNetworkError(error: unknown): boolean {
  if (isTimeoutError(error)) return true;
  if (codesOf(error).some((code) => NETWORK_CODES.has(code))) return true;
  // fetch wraps every transport failure in `TypeError: fetch failed` with the real one as cause.
  return nameOf(error) === 'TypeError' && messageOf(error) === 'fetch failed';
}

/** True only when the failure proves the request never reached the venue. */
export function provesNotSent(error: unknown): boolean {
  if (error instanceof BreakerOpenError) return true;
  if (error instanceof HttpStatusError) return error.status === 429;
  return codesOf(error).some((code) => NOT_SENT_CODES.has(code));
}

/** Network errors, 408, 429 and 5xx are worth another attempt; business rejections are not. */
export function isRetryableFailure(error: unknown): boolean {
  if (error instanceof HttpStatusError)
    return error.status === 408 || error.status === 429 || error.status >= 500;
  if (error instanceof BreakerOpenError || error instanceof OutcomeUnknownError) return false;
  return isNetworkError(error);
}
