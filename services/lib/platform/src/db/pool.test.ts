import { EventEmitter } from 'node:events';
import { Pool } from 'pg';
import type { Logger } from '../logger';
import { handlePoolErrors, poolConfig, UnnamedStatementClient } from './pool';

function recordingLogger() {
  const calls: { level: string; message: string }[] = [];
  const log = (level: string) => (_fields: unknown, message: string) => calls.push({ level, message });
  return {
    logger: { error: log('error'), warn: log('warn'), debug: log('debug') } as unknown as Logger,
    calls,
  };
}

const adminShutdown = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('handlePoolErrors', () => {
  it('turns an idle client error (57P01) into a log line instead of an unhandled error event', () => {
    const { logger, calls } = recordingLogger();
    const pool = handlePoolErrors(
      new Pool({ connectionString: 'postgres://127.0.0.1:1/x' }),
      logger,
      'bench',
    );
    expect(() => pool.emit('error', adminShutdown())).not.toThrow();
    expect(calls).toEqual([
      { level: 'error', message: 'idle database connection failed; the pool will replace it' },
    ]);
  });

  it('logs at debug once the pool is ending: a lost idle client during teardown is expected', async () => {
    const { logger, calls } = recordingLogger();
    const pool = handlePoolErrors(new Pool({ connectionString: 'postgres://127.0.0.1:1/x' }), logger);
    await pool.end();
    pool.emit('error', adminShutdown());
    expect(calls.map((call) => call.level)).toEqual(['debug']);
  });

  it('without it, the same event crashes the emitter (what the bench did)', () => {
    const pool = new Pool({ connectionString: 'postgres://127.0.0.1:1/x' });
    expect(() => pool.emit('error', adminShutdown())).toThrow(/administrator command/);
  });
});

describe('handlePoolErrors on a checked-out client', () => {
  it('logs a connection lost between two statements instead of crashing the process', () => {
    const { logger, calls } = recordingLogger();
    const pool = handlePoolErrors(new Pool({ connectionString: 'postgres://127.0.0.1:1/x' }), logger);
    // What the pool emits when it opens a client; a checked-out client has no pool listener.
    const client = new EventEmitter();
    pool.emit('connect', client);
    expect(() => client.emit('error', adminShutdown())).not.toThrow();
    expect(calls).toEqual([
      { level: 'warn', message: 'database connection lost; its work fails and the pool replaces it' },
    ]);
  });
});

describe('poolConfig', () => {
  const config = (preparedStatements: boolean) => ({
    DATABASE_URL: 'postgres://127.0.0.1:1/x',
    DB_POOL_MAX: 2,
    DB_POOL_MIN: 0,
    DB_IDLE_TIMEOUT_MS: 1_000,
    DB_CONNECTION_TIMEOUT_MS: 1_000,
    DB_STATEMENT_TIMEOUT_MS: 1_000,
    DB_PREPARED_STATEMENTS: preparedStatements,
    DB_SSL: 'disable' as const,
  });

  it('keeps pg’s own client while prepared statements are on', () => {
    expect(poolConfig(config(true), 'test').Client).toBeUndefined();
  });

  it('uses the client that sends statements unnamed when DB_PREPARED_STATEMENTS=false', () => {
    expect(poolConfig(config(false), 'test').Client).toBe(UnnamedStatementClient);
  });
});
