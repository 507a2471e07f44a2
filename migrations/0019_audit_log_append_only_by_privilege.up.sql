-- Least-privilege roles (docs/operations/database-roles.md): the audit log is append-only by privilege,
-- not only by its trigger, and the migrator's bookkeeping is written only by its owner.
-- `atc db roles --apply` grants the app role SELECT/INSERT/UPDATE/DELETE on every table of schema atc,
-- and as default privileges on every table the owner creates later. When the roles were applied
-- before the first `atc migrate up` (a fresh database), the baseline's tables got those default grants
-- too: take back every privilege to change audit rows or the bookkeeping from every role but the owner.
-- Grantees are read from the catalogue, so no role name is written here; on a database without the
-- roles (a test, a laptop) nothing is revoked.
do $$
declare
  item record;
begin
  for item in
    select distinct format('revoke %s on %s from %s',
                           case when c.relname = 'audit_log' then 'update, delete, truncate'
                                else 'insert, update, delete, truncate' end,
                           c.oid::regclass,
                           case when a.grantee = 0 then 'public' else a.grantee::regrole::text end) as statement
      from pg_class c
      cross join lateral aclexplode(c.relacl) a
     where c.oid in ('atc.audit_log'::regclass, 'atc.schema_migrations'::regclass, 'atc.schema_functions'::regclass)
       and a.grantee <> c.relowner
       and a.privilege_type in ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
       and not (c.relname = 'audit_log' and a.privilege_type = 'INSERT')
  loop
    execute item.statement;
  end loop;
end $$;
