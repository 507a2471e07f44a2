/**
 * The three PostgreSQL roles of a least-privilege deployment (docs/operations/database-roles.md):
 * - the **owner** owns schema `atc` and everything in it and runs `atc migrate`;
 * - the **app** role reads and writes rows (SELECT/INSERT/UPDATE/DELETE, sequences, functions) but
 *   owns nothing, so it cannot run DDL, drop or disable the audit trigger, or TRUNCATE; it may only
 *   SELECT and INSERT `atc.audit_log` and only read the migrator's bookkeeping;
 * - the **read-only** role (the exporter, reporting) can SELECT and nothing else.
 *
 * `databaseRolesSql` is the whole idempotent script (`atc db roles --print-sql` prints it, `--apply`
 * runs it in one transaction); it never holds a password. `passwordStatements` sets the passwords
 * `--apply` is given, as SCRAM verifiers computed here, so the clear text never reaches the server
 * (nor its statement log).
 * @module
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { InputError } from '../errors';

export interface DatabaseRoleNames {
  readonly owner: string;
  readonly app: string;
  readonly readonly: string;
}

export const DEFAULT_DATABASE_ROLES: DatabaseRoleNames = {
  owner: 'atc_owner',
  app: 'atc_app',
  readonly: 'atc_readonly',
};

/** Lowercase identifiers only: they are written into the script's text (a role name cannot be a bind parameter). */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkRoleNames(names: DatabaseRoleNames): void {
  for (const [which, name] of Object.entries(names) as [keyof DatabaseRoleNames, string][]) {
    if (!ROLE_NAME.test(name) || name.startsWith('pg_')) {
      throw new InputError(
        `--${which} must be a lowercase role name (letters, digits, _; at most 63; not pg_…), got ${JSON.stringify(name)}`,
      );
    }
  }
  if (new Set(Object.values(names)).size !== 3) throw new InputError('the three role names must differ');
}

const quoted = (name: string) => `"${name}"`;
const literal = (name: string) => `'${name}'`;

function createRoles(names: DatabaseRoleNames): string {
  const ensure = (name: string) =>
    `  if not exists (select 1 from pg_roles where rolname = ${literal(name)}) then
    create role ${quoted(name)} login;
  else
    alter role ${quoted(name)} login;
  end if;`;
  return `-- 1. The roles (LOGIN, no password: set one with \\password NAME in psql, or DB_*_PASSWORD for --apply).
do $$
begin
${[names.owner, names.app, names.readonly].map(ensure).join('\n')}
  -- A non-superuser administrator (RDS, Cloud SQL) must be a member of the owner to hand it the
  -- schema and to set its default privileges.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant %I to %I', ${literal(names.owner)}, current_user);
  end if;
end $$;
-- Every session of the read-only role starts read only: a stray write fails even where a grant slipped.
alter role ${quoted(names.readonly)} set default_transaction_read_only = on;`;
}

function databaseGrants(names: DatabaseRoleNames): string {
  const all = [names.owner, names.app, names.readonly].map(quoted).join(', ');
  return `-- 2. The database: connect; no temporary tables for anyone (the app needs none); the owner may
--    create schema atc again (after \`atc migrate down --to 0\`).
do $$
begin
  execute format('revoke temporary on database %I from public', current_database());
  execute format('grant connect on database %I to ${all}', current_database());
  execute format('grant create on database %I to ${quoted(names.owner)}', current_database());
  -- PostgreSQL 15 does this by default; 14 lets every role create tables in schema public.
  if exists (select 1 from pg_namespace where nspname = 'public') then
    revoke create on schema public from public;
  end if;
end $$;`;
}

/** Hands the schema and every object in it to the owner (only those it does not own yet). */
function transferOwnership(names: DatabaseRoleNames): string {
  const owner = quoted(names.owner);
  return `-- 3. Schema atc and everything in it belong to the owner (a database migrated as a superuser is handed over).
create schema if not exists atc authorization ${owner};
alter schema atc owner to ${owner};
do $$
declare
  target oid := (select oid from pg_roles where rolname = ${literal(names.owner)});
  item record;
begin
  for item in
    select format('alter %s %s owner to ${owner}',
                  case c.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                 when 'S' then 'sequence' else 'table' end,
                  c.oid::regclass) as statement
      from pg_class c
     where c.relnamespace = 'atc'::regnamespace and c.relowner <> target
       and c.relkind in ('r', 'p', 'v', 'm', 'S')
       -- A sequence that belongs to a column (identity, serial) follows its table.
       and not (c.relkind = 'S' and exists (select 1 from pg_depend d
                 where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
    union all
    select format('alter routine %s owner to ${owner}', p.oid::regprocedure)
      from pg_proc p where p.pronamespace = 'atc'::regnamespace and p.proowner <> target
    union all
    select format('alter %s %s owner to ${owner}', case t.typtype when 'd' then 'domain' else 'type' end,
                  t.oid::regtype)
      from pg_type t
     where t.typnamespace = 'atc'::regnamespace and t.typowner <> target and t.typtype in ('d', 'e')
  loop
    execute item.statement;
  end loop;
end $$;`;
}

function objectGrants(names: DatabaseRoleNames): string {
  const app = quoted(names.app);
  const readonly = quoted(names.readonly);
  return `-- 4. What exists now. Revoked first, so a second run leaves exactly these grants.
revoke all on all tables in schema atc from ${app}, ${readonly};
revoke all on all sequences in schema atc from ${app}, ${readonly};
grant usage on schema atc to ${app}, ${readonly};
grant select, insert, update, delete on all tables in schema atc to ${app};
grant usage on all sequences in schema atc to ${app};
grant execute on all functions in schema atc to ${app}, ${readonly};
grant select on all tables in schema atc to ${readonly};
-- The audit log is append-only by privilege, not only by its trigger; the migrator's bookkeeping is
-- read only. (A fresh database has no tables yet: migration 0019 does the same after the baseline.)
do $$
begin
  if to_regclass('atc.audit_log') is not null then
    revoke update, delete, truncate on atc.audit_log from ${app};
  end if;
  if to_regclass('atc.schema_migrations') is not null then
    revoke insert, update, delete, truncate on atc.schema_migrations, atc.schema_functions from ${app};
  end if;
end $$;`;
}

function defaultPrivileges(names: DatabaseRoleNames): string {
  const forOwner = `alter default privileges for role ${quoted(names.owner)}`;
  const app = quoted(names.app);
  const readonly = quoted(names.readonly);
  return `-- 5. What later migrations create (as the owner) gets the same grants. Not limited to schema atc, so
--    they survive the schema being dropped and created again; migration 0019 takes UPDATE, DELETE and
--    TRUNCATE of atc.audit_log back from every role but the owner on a database migrated after this.
${forOwner} grant usage on schemas to ${app}, ${readonly};
${forOwner} grant select, insert, update, delete on tables to ${app};
${forOwner} grant select on tables to ${readonly};
${forOwner} grant usage on sequences to ${app};
${forOwner} grant execute on functions to ${app}, ${readonly};`;
}

/** The whole script: idempotent, one transaction, no password in it. */
export function databaseRolesSql(names: DatabaseRoleNames = DEFAULT_DATABASE_ROLES): string {
  checkRoleNames(names);
  return [
    `-- atc database roles: owner ${names.owner}, app ${names.app}, read-only ${names.readonly}.`,
    '-- Run as a superuser or the database owner (an administrator with CREATEROLE); idempotent.',
    'begin;',
    createRoles(names),
    databaseGrants(names),
    transferOwnership(names),
    objectGrants(names),
    defaultPrivileges(names),
    'commit;',
    '',
  ].join('\n\n');
}

/** The script without its begin/commit, for a caller that runs it inside its own transaction. */
export function databaseRolesStatements(names: DatabaseRoleNames = DEFAULT_DATABASE_ROLES): string {
  return databaseRolesSql(names)
    .replace(/^begin;$/m, '')
    .replace(/^commit;$/m, '');
}

/**
 * A SCRAM-SHA-256 verifier of `password` (RFC 5802/7677, as psql's `\password` and libpq's
 * PQencryptPasswordConn compute it): PostgreSQL stores a verifier given in this form as is.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** `alter role … password '<verifier>'` for each role given a password (a verifier has no quote in it). */
export function passwordStatements(
  passwords: Partial<Record<keyof DatabaseRoleNames, string>>,
  names: DatabaseRoleNames,
): string[] {
  return (Object.keys(passwords) as (keyof DatabaseRoleNames)[])
    .filter((which) => passwords[which])
    .map(
      (which) => `alter role ${quoted(names[which])} password ${literal(scramVerifier(passwords[which]!))}`,
    );
}
