import { z } from 'zod';
import { ConfigError, loadConfig } from '@atc/platform';
import { apiHttpConfig, dashboardEnvironment } from './dashboard.config';

const load = (env: Record<string, string>) => apiHttpConfig(loadConfig(z.object(dashboardEnvironment), env));

describe('the dashboard HTTP configuration', () => {
  it('defaults: no CORS origin, 100 requests a minute, no trusted proxy, a 10 s deadline, replies checked, reads logged at debug', () => {
    expect(load({})).toEqual({
      corsOrigins: [],
      rateLimitPerMinute: 100,
      trustProxy: false,
      requestTimeoutMs: 10_000,
      validateResponses: true,
      accessLogReads: 'debug',
    });
    expect(load({ API_ACCESS_LOG_READS: 'info' }).accessLogReads).toBe('info');
    expect(() => load({ API_ACCESS_LOG_READS: 'trace' })).toThrow(/API_ACCESS_LOG_READS/);
  });

  it('reads origins, a hop count or proxy CIDRs, and stops checking replies in production', () => {
    const config = load({
      CORS_ORIGINS: 'https://ops.example.com, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8,loopback,2001:db8::/32',
      NODE_ENV: 'production',
    });
    expect(config.corsOrigins).toEqual(['https://ops.example.com', 'http://localhost:5173']);
    expect(config.trustProxy).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::/32']);
    expect(config.validateResponses).toBe(false);
    expect(load({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('refuses CORS_ORIGINS=* in production with a config error naming the key', () => {
    expect(load({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => load({ CORS_ORIGINS: '*', NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => load({ CORS_ORIGINS: 'https://a.example,*', NODE_ENV: 'production' })).toThrow(
      /CORS_ORIGINS/,
    );
  });

  it.each([
    ['CORS_ORIGINS', 'ops.example.com'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'everyone'],
    ['API_RATE_LIMIT_PER_MINUTE', '0'],
    ['REQUEST_TIMEOUT_MS', 'soon'],
  ])('refuses %s=%s naming the key', (key, value) => {
    expect(() => load({ [key]: value })).toThrow(new RegExp(`${key}:`));
  });
});
