import { Writable } from 'node:stream';
import { createLogger, redactUrlCredentials } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({
    service: 'svc',
    version: '1.2.3',
    level: 'debug',
    format: 'json',
    destination,
  });
  return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes JSON with service, version and the level label', () => {
    const { logger, entries } = capture();
    logger.info({ stepId: 's1' }, 'step claimed');
    expect(entries()[0]).toMatchObject({
      level: 'info',
      service: 'svc',
      version: '1.2.3',
      stepId: 's1',
      msg: 'step claimed',
    });
  });

  it('redacts secrets by key and credentials inside URLs', () => {
    const { logger, entries } = capture();
    logger.info(
      {
        token: 'abc',
        apiKey: 'key-1',
        headers: { authorization: 'Bearer zzz', 'x-api-key': 'k2' },
        venue: { password: 'pw', secret: 's' },
        target: 'postgres://trader:hunter2@db:5432/atc',
      },
      'connecting to https://user:pass@example.invalid/path',
    );
    const text = JSON.stringify(entries()[0]);
    for (const secret of ['abc', 'key-1', 'zzz', 'k2', '"pw"', 'hunter2', 'user:pass'])
      expect(text).not.toContain(secret);
    expect(text).toContain('postgres://[redacted]@db:5432/atc');
  });

  it('logs errors with code and cause but not attached objects', () => {
    const { logger, entries } = capture();
    const inner = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      client: { password: 'x' },
    });
    logger.error({ err: new Error('cannot reach database', { cause: inner }) }, 'start-up failed');
    const err = entries()[0]!.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: 'Error',
      message: 'cannot reach database',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(JSON.stringify(err)).not.toContain('client');
  });

  it('scrubs credentials nested in objects and arrays without changing the logged object', () => {
    const { logger, entries } = capture();
    const logged = {
      plain: 'http://localhost:8080',
      nested: { deeper: { url: 'amqp://bot:s3cret@broker:5672' } },
      list: ['first', 'redis://cache-user:pw1@cache:6379'],
    };
    logger.info(logged, 'nested');
    const text = JSON.stringify(entries()[0]);
    for (const secret of ['s3cret', 'bot:', 'pw1', 'cache-user']) expect(text).not.toContain(secret);
    expect(text).toContain('amqp://[redacted]@broker:5672');
    expect(text).toContain('http://localhost:8080');
    expect(logged.nested.deeper.url).toBe('amqp://bot:s3cret@broker:5672');
    expect(logged.list[1]).toBe('redis://cache-user:pw1@cache:6379');
  });

  it('redactUrlCredentials leaves URLs without credentials alone', () => {
    expect(redactUrlCredentials('http://localhost:8080/health')).toBe('http://localhost:8080/health');
  });
});
