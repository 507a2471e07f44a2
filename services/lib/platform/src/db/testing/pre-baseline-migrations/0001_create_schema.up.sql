-- Everything atc owns lives in one schema, so it can share a database with other tenants and be
-- dumped, granted and dropped as a unit.
create schema if not exists atc;

-- The migrator's bookkeeping: which migrations ran, and the checksum of each up file as applied,
-- so an edited, already-applied migration is detected instead of silently diverging.
create table atc.schema_migrations (
  id integer primary key check (id > 0),
  name text not null,
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz not null default now()
);
