import path from 'node:path';
import {
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runTypeScript,
  type TestDatabase,
} from '@atc/platform/testing';

// `atc apikey` as an operator runs it: a real process, real exit codes, the real database.
const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

describe('atc apikey', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  async function atc(...args: string[]) {
    const run = runTypeScript(cli, args, childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }
  const count = async (table: string) =>
    (await db.pool.query<{ n: number }>(`select count(*)::int as n from atc.${table}`)).rows[0]!.n;

  it.each([
    [['--name', 'x', '--role', 'root'], /--role must be one of viewer, operator, admin; got "root"/],
    [['--name', 'x'], /--role must be one of viewer, operator, admin; got nothing/],
    [
      ['--name', 'x', '--role', 'viewer', '--expires', 'banana'],
      /--expires must be a whole number of days or hours/,
    ],
    [['--name', 'x', '--role', 'viewer', '--expires', '0d'], /--expires must be/],
    [['--name', 'x', '--role', 'viewer', '--expires=-1d'], /--expires must be/],
    [['--role', 'viewer'], /apikey create needs --name/],
  ])('refuses %j with exit 2, writing nothing', async (args, message) => {
    const result = await atc('apikey', 'create', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await count('api_keys')).toBe(0);
    expect(await count('audit_log')).toBe(0);
  });

  it('creates a key printed once, stores only its hash, lists and revokes it, all audited', async () => {
    const created = await atc(
      'apikey',
      'create',
      '--name',
      'ci',
      '--role',
      'operator',
      '--expires',
      '90d',
      '--by',
      'ann',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^atc_[0-9A-Za-z]{49}$/);
    expect(created.stderr).toMatch(/shown this once/);
    const stored = await db.pool.query<{ row: string }>(
      `select row_to_json(k)::text as row from atc.api_keys k`,
    );
    expect(stored.rows[0]!.row).not.toContain(key);
    expect(stored.rows[0]!.row).not.toContain(key.slice(12));

    const listed = await atc('apikey', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    const [entry] = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(entry).toMatchObject({ name: 'ci', role: 'operator', prefix: key.slice(0, 12), revokedAt: null });
    expect(Date.parse(entry!.expiresAt as string) - Date.parse(entry!.createdAt as string)).toBe(
      90 * 86_400_000,
    );

    expect((await atc('apikey', 'create', '--name', 'ci', '--role', 'viewer')).code).toBe(1);
    expect((await atc('apikey', 'revoke', 'ci', '--by', 'bob')).code).toBe(0);
    const again = await atc('apikey', 'revoke', 'ci');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no live API key named "ci"/);
    const audit = await db.pool.query(`select actor, action, subject_id from atc.audit_log order by id`);
    expect(audit.rows).toEqual([
      { actor: 'ann', action: 'api_key.created', subject_id: 'ci' },
      { actor: 'bob', action: 'api_key.revoked', subject_id: 'ci' },
    ]);
  });
});
