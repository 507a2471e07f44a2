/**
 * What a backup's manifest records about a database, and what a restore finds in its target. Run in
 * the backup's exported snapshot (see backup.ts), these read the same rows pg_dump writes.
 * @module
 */
import { queryOne, queryRows, type Queryable } from '@atc/platform';

export interface MigrationRecord {
  readonly id: number;
  readonly name: string;
  readonly checksum: string;
}

/** Every applied versioned migration, in order; the last one's id is the schema version. */
export function selectAppliedMigrations(db: Queryable): Promise<MigrationRecord[]> {
  return queryRows<MigrationRecord>(
    db,
    `select id::int as id, name, checksum from atc.schema_migrations order by id`,
  );
}

/**
 * The exact row count of every table in schema atc, one statement: query_to_xml runs the count of
 * each table the catalog names (identifiers quoted by format's %I, never by us), so the list of
 * tables is whatever the schema holds at that moment, partitions included.
 */
export async function selectTableRowCounts(db: Queryable): Promise<Record<string, number>> {
  const rows = await queryRows<{ table: string; rows: string }>(
    db,
    `select c.relname as "table",
            (xpath('/row/n/text()',
                   query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')
            ))[1]::text as rows
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'atc'
        and c.relkind in ('r', 'p') -- tables and partitioned tables; not views, sequences or indexes
      order by c.relname`,
  );
  return Object.fromEntries(rows.map((row) => [row.table, Number(row.rows)]));
}

export interface AuditHead {
  readonly rows: number;
  /** The newest row's id and hash: what the whole chain before it hashes to (null for an empty log). */
  readonly headId: string | null;
  readonly headHash: string | null;
}

export async function selectAuditHead(db: Queryable): Promise<AuditHead> {
  const head = await queryOne<AuditHead>(
    db,
    `select (select count(*) from atc.audit_log)::int as rows, head.id as "headId", head.hash as "headHash"
       from (select 1) as one -- one row, with nulls for the head when the log is empty
       left join (select a.id::text as id, a.hash
                    from atc.audit_log a
                   order by a.id desc -- the bigint column: the text alias would sort '9' above '10'
                   limit 1) as head on true`,
  );
  return head!;
}

export interface FoundRelation {
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
}

/**
 * What a restore target already holds, outside PostgreSQL's own schemas: every table, view, sequence
 * and function, and every schema other than the empty `public` a new database starts with.
 */
export function selectTargetContents(db: Queryable): Promise<FoundRelation[]> {
  return queryRows<FoundRelation>(
    db,
    `select n.nspname as schema, c.relname as name,
            case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                           when 'm' then 'materialized view' when 'S' then 'sequence' else 'relation' end as kind
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S')
        and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and n.nspname not like 'pg_temp%'
     union all
     select n.nspname, p.proname, 'function'
       from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname not in ('pg_catalog', 'information_schema')
     union all
     select n.nspname, n.nspname, 'schema'
       from pg_catalog.pg_namespace n
      where n.nspname not in ('pg_catalog', 'information_schema', 'public', 'pg_toast')
        and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'
      order by 1, 3, 2`,
  );
}

/** `--force`: the schema a restore writes goes first, with everything in it. */
export async function dropAtcSchema(db: Queryable): Promise<void> {
  await db.query('drop schema if exists atc cascade');
}
