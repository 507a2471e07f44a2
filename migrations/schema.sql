CREATE SCHEMA atc;

CREATE TABLE atc.schema_migrations (
    id integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schema_migrations_checksum_check CHECK ((checksum ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT schema_migrations_id_check CHECK ((id > 0))
);

ALTER TABLE ONLY atc.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (id);
