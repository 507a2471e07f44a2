import {
  databaseRolesSql,
  databaseRolesStatements,
  DEFAULT_DATABASE_ROLES,
  InputError,
  passwordStatements,
  type DatabaseRoleNames,
  type Logger,
} from '@atc/platform';
import type { CliConfig } from '../cli.config';
import { writeLine } from '../output';
import { withCommandPool } from '../command-pool';

export interface DbRolesArguments {
  readonly action: string | undefined;
  readonly printSql: boolean;
  readonly apply: boolean;
  readonly owner: string | undefined;
  readonly app: string | undefined;
  readonly readonly: string | undefined;
}

const USAGE = 'usage: atc db roles --print-sql | --apply [--owner NAME] [--app NAME] [--readonly NAME]';

function roleNames(args: DbRolesArguments): DatabaseRoleNames {
  return {
    owner: args.owner ?? DEFAULT_DATABASE_ROLES.owner,
    app: args.app ?? DEFAULT_DATABASE_ROLES.app,
    readonly: args.readonly ?? DEFAULT_DATABASE_ROLES.readonly,
  };
}

/**
 * `atc db roles --print-sql` prints the script that creates the owner, app and read-only roles and
 * their grants (no password in it); `--apply` runs it, in one transaction, on DATABASE_URL (a
 * superuser or the database's owner), setting the passwords DB_*_PASSWORD give.
 */
export async function runDbRoles(args: DbRolesArguments, config: CliConfig, logger: Logger): Promise<number> {
  if (args.action !== 'roles' || args.printSql === args.apply) throw new InputError(USAGE);
  const names = roleNames(args);
  if (args.printSql) {
    process.stdout.write(databaseRolesSql(names));
    writeLine(`-- Then give each role a password in psql (never on a command line):`);
    for (const name of Object.values(names)) writeLine(`--   \\password ${name}`);
    return 0;
  }
  const passwords = {
    owner: config.DB_OWNER_PASSWORD,
    app: config.DB_APP_PASSWORD,
    readonly: config.DB_READONLY_PASSWORD,
  };
  await withCommandPool(
    config,
    logger,
    async (pool) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(databaseRolesStatements(names));
        for (const statement of passwordStatements(passwords, names)) await client.query(statement);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch((rollbackError: unknown) => {
          logger.warn({ err: rollbackError }, 'rollback after a failed roles script failed too');
        });
        throw error;
      } finally {
        client.release();
      }
    },
    'atc-db-roles',
  );
  writeLine(`roles applied: owner ${names.owner}, app ${names.app}, read-only ${names.readonly}`);
  for (const [which, name] of Object.entries(names) as [keyof DatabaseRoleNames, string][]) {
    if (!passwords[which]) {
      writeLine(
        `password of ${name} left as it was: set it with \\password ${name} in psql, or DB_${which.toUpperCase()}_PASSWORD`,
      );
    }
  }
  return 0;
}
