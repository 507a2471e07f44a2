import pino, { type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { activeSpanLogFields } from './tracing/trace-context';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'token',
  'secret',
  'apiKey',
  'api_key',
  'authorization',
  'privateKey',
  'secretKey',
  'connectionString',
  'databaseUrl',
  'DATABASE_URL',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.api_key',
  '*.authorization',
  '*.Authorization',
  '*.privateKey',
  '*.secretKey',
  '*.connectionString',
  '*.databaseUrl',
  '*.DATABASE_URL',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'config.headers.Authorization',
  // Venue secrets (the Nebula webhook key travels in a header, the wallet secret in config).
  'webhookKey',
  '*.webhookKey',
  'headers["x-webhook-key"]',
  'req.headers["x-webhook-key"]',
  'SOLANA_WALLET_SECRET',
  '*.SOLANA_WALLET_SECRET',
];

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+)(:[^\s@/]*)?@/gi;

/** Replaces `scheme://user:password@` with `scheme://[redacted]@` inside any string. */
export function redactUrlCredentials(text: string): string {
  // Most strings hold no URL with credentials; skip the regex for them (every access log line).
  if (!text.includes('@') || !text.includes('://')) return text;
  return text.replace(URL_CREDENTIALS, '$1[redacted]@');
}

/** The value with credentials scrubbed from its strings; the same object when there were none. */
function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => scrubStrings(item, depth - 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  // Only plain data is walked: an Error, a request or a socket is written by its serializer (which
  // picks fields), and walking one would cost more than the whole log line.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    const scrubbed = scrubStrings(item, depth - 1);
    // Copied only when something changed: most log lines carry no credentials at all.
    if (scrubbed !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = scrubbed;
  }
  return out ?? value;
}

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

/**
 * Errors are logged with their message, stack, code and other primitive fields, and their cause
 * chain — never with attached objects (a pg error carries its whole client, config included).
 */
export function serializeError(error: unknown, depth = 3): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redactUrlCredentials(error) : error;
  const out: SerializedError = { type: error.name, message: redactUrlCredentials(error.message) };
  if (error.stack) out.stack = redactUrlCredentials(error.stack);
  for (const [key, value] of Object.entries(error)) {
    if (key === 'message' || key === 'stack') continue;
    if (typeof value === 'string') out[key] = redactUrlCredentials(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  if (error.cause !== undefined && depth > 0) out.cause = serializeError(error.cause, depth - 1);
  return out;
}

export interface LoggerSettings {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  readonly format: 'json' | 'pretty';
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
}

/** The one root logger of a process. Child loggers carry ids: `logger.child({ stepId })`. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, version: settings.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    // trace_id and span_id of the active span, on every line written inside one (none when tracing is off).
    mixin: activeSpanLogFields,
    // pino's default merge writes the line's fields into the mixin's object; outside a span that is
    // one shared empty object, so the line's own object is used as it is.
    mixinMergeStrategy: (line, fields) => ('trace_id' in fields ? Object.assign(fields, line) : line),
    formatters: {
      level: (label) => ({ level: label }),
      // Credentials embedded in URLs can hide in any string field; scrub them before writing.
      log: (object) => scrubStrings(object, 4) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactUrlCredentials(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  const destination =
    settings.format === 'pretty'
      ? pretty({
          colorize: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,version',
          destination: settings.destination ?? 1,
        })
      : // Synchronous: a line logged just before process.exit (a fatal error, the end of a drain) is
        // written, and lines reach stdout in the order they were logged.
        (settings.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(options, destination);
}

/** A logger that drops everything, for unit tests of code that requires one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
