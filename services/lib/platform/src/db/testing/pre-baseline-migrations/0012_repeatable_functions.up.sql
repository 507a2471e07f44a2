-- From here on the SQL functions of schema atc are repeatable definitions: each lives in
-- migrations/functions/<name>.sql, and the migrator applies a file after the versioned migrations
-- whenever its checksum differs from the one recorded here (see migrations/README.md). Migrations
-- from 0012 on do not write function bodies; they create or drop tables, columns, triggers, and drop
-- a function whose file is removed.
create table atc.schema_functions (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz not null default now()
);
