/**
 * Least-privilege roles on a test database, applied the way an operator applies them: `atc db roles
 * --apply` in a real process, as the test server's superuser, with DB_*_PASSWORD set. Role names
 * carry a random suffix (roles belong to the whole server, which every test file shares); `dropRoles`
 * removes them once every database they hold something in is dropped.
 * @module
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Pool } from 'pg';
import type { DatabaseRoleNames } from '@atc/platform';
import { childEnvironment, REPOSITORY_ROOT, runTypeScript, testServerUrl } from '@atc/platform/testing';

const cli = path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts');

export interface TestRoles {
  readonly names: DatabaseRoleNames;
  readonly passwords: Readonly<Record<keyof DatabaseRoleNames, string>>;
  /** `databaseUrl` (a superuser's) with the role's name and password instead. */
  urlAs(which: keyof DatabaseRoleNames, databaseUrl: string): string;
  /** A pool connected as the role, ended by `dropRoles`. */
  poolAs(which: keyof DatabaseRoleNames, databaseUrl: string): Pool;
  dropRoles(): Promise<void>;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export async function atcCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<CliRun> {
  const run = runTypeScript(cli, args, childEnvironment({ LOG_LEVEL: 'warn', ...env }));
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export function testRoles(): TestRoles {
  const suffix = randomBytes(4).toString('hex');
  const names = { owner: `atc_owner_${suffix}`, app: `atc_app_${suffix}`, readonly: `atc_ro_${suffix}` };
  const passwords = {
    owner: `owner-${randomBytes(12).toString('hex')}`,
    app: `app-${randomBytes(12).toString('hex')}`,
    readonly: `ro-${randomBytes(12).toString('hex')}`,
  };
  const pools: Pool[] = [];
  const urlAs = (which: keyof DatabaseRoleNames, databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.username = names[which];
    url.password = encodeURIComponent(passwords[which]);
    return url.toString();
  };
  return {
    names,
    passwords,
    urlAs,
    poolAs(which, databaseUrl) {
      const pool = new Pool({ connectionString: urlAs(which, databaseUrl), max: 4 });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async dropRoles() {
      await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
      const client = new Client({ connectionString: testServerUrl() });
      await client.connect();
      try {
        // Generated names (checked by the roles script's own rule); identifiers cannot be parameters.
        for (const name of Object.values(names)) await client.query(`drop role if exists "${name}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/** `atc db roles --apply` with the roles' names and passwords, as the superuser of `databaseUrl`. */
export function applyRoles(roles: TestRoles, databaseUrl: string): Promise<CliRun> {
  return atcCli(
    [
      'db',
      'roles',
      '--apply',
      '--owner',
      roles.names.owner,
      '--app',
      roles.names.app,
      '--readonly',
      roles.names.readonly,
    ],
    {
      DATABASE_URL: databaseUrl,
      DB_OWNER_PASSWORD: roles.passwords.owner,
      DB_APP_PASSWORD: roles.passwords.app,
      DB_READONLY_PASSWORD: roles.passwords.readonly,
    },
  );
}
