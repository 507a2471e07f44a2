import { z } from 'zod';
import { ConfigError } from './errors';
import { baseEnvironment, databaseEnvironment, loadConfig, sessionDatabaseUrl } from './config';

const schema = z.object({ ...baseEnvironment, ...databaseEnvironment });

describe('loadConfig', () => {
  it('applies defaults with units in their names', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgres://localhost/atc' });
    expect(config).toMatchObject({
      DB_POOL_MAX: 10,
      DB_IDLE_TIMEOUT_MS: 30_000,
      DB_CONNECTION_TIMEOUT_MS: 5_000,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      LOG_FORMAT: 'json',
    });
  });

  it('lists every missing or invalid key, sorted, without values', () => {
    let error: unknown;
    try {
      loadConfig(schema, { DB_POOL_MAX: 'abc', LOG_FORMAT: 'xml', ADMIN_PORT: '70000' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'ADMIN_PORT: must be at most 65535',
      'DATABASE_URL: is required',
      'DB_POOL_MAX: must be an integer',
      expect.stringMatching(/^LOG_FORMAT: /),
    ]);
    expect(problems.join('\n')).not.toContain('xml');
  });

  it('treats an empty value as unset rather than silently defaulting an invalid one', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://x/y', DB_POOL_MAX: '' }).DB_POOL_MAX).toBe(10);
    expect(() => loadConfig(schema, { DATABASE_URL: 'postgres://x/y', DB_POOL_MAX: '2.5' })).toThrow(
      ConfigError,
    );
  });

  it('refuses a non-postgres DATABASE_URL', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: must be a postgres/,
    );
  });
});

describe('DATABASE_DIRECT_URL and DB_PREPARED_STATEMENTS', () => {
  const pooled = 'postgres://atc@pgbouncer:6432/atc';
  const direct = 'postgres://atc@postgres:5432/atc';

  it('sends sessions (LISTEN, the migrator) to the server itself past a pooler', () => {
    const config = loadConfig(schema, { DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct });
    expect(sessionDatabaseUrl(config)).toBe(direct);
  });

  it('uses DATABASE_URL for sessions without a pooler', () => {
    expect(sessionDatabaseUrl(loadConfig(schema, { DATABASE_URL: direct }))).toBe(direct);
  });

  it('keeps prepared statements on by default and reads false', () => {
    expect(loadConfig(schema, { DATABASE_URL: direct }).DB_PREPARED_STATEMENTS).toBe(true);
    expect(
      loadConfig(schema, { DATABASE_URL: pooled, DB_PREPARED_STATEMENTS: 'false' }).DB_PREPARED_STATEMENTS,
    ).toBe(false);
  });

  it('refuses a DATABASE_DIRECT_URL that is not a postgres URL', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: pooled, DATABASE_DIRECT_URL: 'http://x' })).toThrow(
      /DATABASE_DIRECT_URL/,
    );
  });
});
