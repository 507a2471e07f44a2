/**
 * The small error hierarchy every role shares. HTTP handlers map these classes to statuses
 * (see the dashboard's error middleware); work-item runners treat `PermanentError` as
 * "never retry" and everything else as retryable with backoff.
 * @module
 */
export interface ErrorDetails {
  readonly [key: string]: unknown;
}

export abstract class AtcError extends Error {
  abstract readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options?.details;
  }
}

/** The caller sent something invalid; `details` names the fields and why. */
export class InputError extends AtcError {
  readonly code = 'invalid_input';
}

export class NotFoundError extends AtcError {
  readonly code = 'not_found';
}

/** The request is valid but conflicts with the current state (a duplicate, a stale version). */
export class ConflictError extends AtcError {
  readonly code = 'conflict';
}

export class AuthenticationError extends AtcError {
  readonly code = 'unauthenticated';
}

export class NotAllowedError extends AtcError {
  readonly code = 'not_allowed';
}

/** A failure that retrying cannot fix (a venue rejection, a validation failure of stored data). */
export class PermanentError extends AtcError {
  readonly code = 'permanent_failure';
}

/** A dependency (the database, a venue) cannot be reached; retrying later may work. */
export class UnavailableError extends AtcError {
  readonly code = 'unavailable';
}

/** Start-up configuration is missing or invalid; `problems` lists every bad key. */
export class ConfigError extends AtcError {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The one HTTP mapping for the hierarchy (the operator API and the admin server answer with it):
 * each class to its status, anything that is not an `AtcError` is a 500. Subclasses inherit their
 * parent's status (a `VenueRejectedError` is a `PermanentError`, a breaker that is open is unavailable).
 */
const HTTP_STATUS_BY_CLASS: ReadonlyArray<readonly [abstract new (...args: never[]) => AtcError, number]> = [
  [InputError, 400],
  [ConfigError, 500],
  [AuthenticationError, 401],
  [NotAllowedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PermanentError, 422],
  [UnavailableError, 503],
];

export function httpStatusFor(error: unknown): number {
  for (const [errorClass, status] of HTTP_STATUS_BY_CLASS) if (error instanceof errorClass) return status;
  return error instanceof AtcError ? 502 : 500;
}

/**
 * SQLSTATEs worth retrying: serialization failures and deadlocks (the transaction lost a race and
 * can simply run again), a server that is starting or shutting down, and lost connections. Any
 * other database error is a bug or a constraint doing its job, and retrying would only repeat it.
 */
const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

const RETRYABLE_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function sqlState(error: unknown): string | undefined {
  const code = errorCode(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isRetryableDatabaseError(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (RETRYABLE_SQLSTATES.has(code) || RETRYABLE_NODE_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

const CONNECTION_PROBLEMS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/**
 * The message of an error, never empty: Node reports a refused connection to a name with several
 * addresses as an AggregateError whose own message is "", so the code (or the first inner error)
 * stands in for it.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  const code = errorCode(error);
  if (code !== undefined) return CONNECTION_PROBLEMS[code] ?? code;
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  return error.name;
}
