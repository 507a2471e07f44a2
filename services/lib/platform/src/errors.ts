/**
 * The small error hierarchy every role shares. HTTP handlers map these classes to statuses
 * (see the dashboard's error middleware); work-item runners treat `PermanentError` as
 * "never retry" and everything else as retryable with backoff.
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

/** Start-up configuration is missing or invalid; `problems` lists every bad key. */
export class ConfigError extends AtcError {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
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

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
