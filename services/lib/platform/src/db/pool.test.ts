import { Pool } from 'pg';
import type { Logger } from '../logger';
import { handlePoolErrors } from './pool';

function recordingLogger() {
  const calls: { level: string; message: string }[] = [];
  const log = (level: string) => (_fields: unknown, message: string) => calls.push({ level, message });
  return { logger: { error: log('error'), debug: log('debug') } as unknown as Logger, calls };
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
