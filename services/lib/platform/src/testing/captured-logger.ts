import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logger';

/** One parsed log line: pino's fields (`msg`, `level`, …) and the line's own. */
export type LogRecord = Readonly<Record<string, unknown>> & { readonly msg?: string };

/**
 * A real logger (the production one, JSON) whose lines a test reads back, so a test can await what
 * the code under test says it is doing — "draining: waiting for in-flight steps" — instead of
 * sleeping until it has probably happened.
 */
export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line logged so far, parsed, in order. */
  readonly records: readonly LogRecord[];
  /** Resolves with the first line whose `msg` is `message`, already logged or still to come. */
  logged(message: string): Promise<LogRecord>;
  /** Resolves with the next line whose `msg` is `message`, logged after this call. */
  next(message: string): Promise<LogRecord>;
}

export function captureLogger(level = 'info'): CapturedLogger {
  const records: LogRecord[] = [];
  const waiters: { message: string; resolve: (record: LogRecord) => void }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const record = JSON.parse(line) as LogRecord;
        records.push(record);
        for (const waiter of waiters.filter((w) => w.message === record.msg)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(record);
        }
      }
      callback();
    },
  });
  const logger = createLogger({ service: 'test', version: '0', level, format: 'json', destination });
  return {
    logger,
    records,
    logged: (message) => {
      const seen = records.find((record) => record.msg === message);
      return seen ? Promise.resolve(seen) : next(message);
    },
    next,
  };

  function next(message: string): Promise<LogRecord> {
    return new Promise((resolve) => waiters.push({ message, resolve }));
  }
}
