import { accessLogLevel } from './request-context';

describe('accessLogLevel', () => {
  it.each([
    ['GET', 200, false, 'debug', 'debug'],
    ['HEAD', 304, false, 'debug', 'debug'],
    ['GET', 200, false, 'info', 'info'],
    ['GET', 404, false, 'debug', 'info'],
    ['GET', 429, false, 'debug', 'info'],
    ['POST', 201, false, 'debug', 'info'],
    ['DELETE', 204, false, 'debug', 'info'],
    ['GET', 503, false, 'debug', 'error'],
    ['GET', 200, true, 'debug', 'error'],
  ] as const)('%s %i (failed %s, reads at %s) is logged at %s', (method, status, failed, reads, level) => {
    expect(accessLogLevel(method, status, failed, reads)).toBe(level);
  });
});
