import {
  databaseRolesSql,
  DEFAULT_DATABASE_ROLES,
  passwordStatements,
  scramVerifier,
} from './database-roles';

describe('database roles script', () => {
  it('names the default roles and grants the app role no DDL, TRUNCATE or audit-row changes', () => {
    const sql = databaseRolesSql();
    expect(sql).toMatch(/create role "atc_owner" login;/);
    expect(sql).toMatch(/grant select, insert, update, delete on all tables in schema atc to "atc_app";/);
    expect(sql).toMatch(/revoke update, delete, truncate on atc\.audit_log from "atc_app";/);
    expect(sql).not.toMatch(/grant (all|create|truncate)[^;]*"atc_app"/i);
    expect(sql).not.toMatch(/grant[^;]*(insert|update|delete)[^;]*"atc_readonly"/i);
  });

  it.each([
    [{ ...DEFAULT_DATABASE_ROLES, app: 'App' }, /--app must be a lowercase role name/],
    [{ ...DEFAULT_DATABASE_ROLES, owner: 'pg_monitor' }, /--owner must be/],
    [{ ...DEFAULT_DATABASE_ROLES, readonly: 'x"; drop' }, /--readonly must be/],
    [{ ...DEFAULT_DATABASE_ROLES, readonly: 'atc_app' }, /must differ/],
  ])('refuses role names %j', (names, message) => {
    expect(() => databaseRolesSql(names)).toThrow(message);
  });

  it('sets passwords as SCRAM verifiers, never the clear text', () => {
    const statements = passwordStatements({ app: 'canary-secret', owner: undefined }, DEFAULT_DATABASE_ROLES);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^alter role "atc_app" password 'SCRAM-SHA-256\$4096:[^']+'$/);
    expect(statements[0]).not.toContain('canary-secret');
  });

  it('derives the verifier from the password and salt (PostgreSQL accepts it: db-roles.int.test.ts logs in)', () => {
    const salt = Buffer.alloc(16, 1);
    expect(scramVerifier('pencil', salt)).toBe(scramVerifier('pencil', salt));
    expect(scramVerifier('pencil', salt)).not.toBe(scramVerifier('pencil2', salt));
    expect(scramVerifier('pencil', salt)).toMatch(
      /^SCRAM-SHA-256\$4096:AQEBAQEBAQEBAQEBAQEBAQ==\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
    );
  });
});
