import { captureLogger } from './captured-logger';

describe('captureLogger', () => {
  it('reads back what was logged, at or above its level, with the fields', () => {
    const logs = captureLogger('info');
    logs.logger.debug('not at this level');
    logs.logger.info({ inFlight: 2 }, 'draining');
    expect(logs.records).toEqual([expect.objectContaining({ msg: 'draining', inFlight: 2, level: 'info' })]);
  });

  it('logged() finds a line already written or awaits it; next() awaits only a later one', async () => {
    const logs = captureLogger('debug');
    logs.logger.debug({ n: 1 }, 'renewed');
    await expect(logs.logged('renewed')).resolves.toMatchObject({ n: 1 });
    const next = logs.next('renewed');
    const later = logs.logged('stopped');
    logs.logger.debug({ n: 2 }, 'renewed');
    logs.logger.info('stopped');
    await expect(next).resolves.toMatchObject({ n: 2 });
    await expect(later).resolves.toMatchObject({ msg: 'stopped' });
  });
});
