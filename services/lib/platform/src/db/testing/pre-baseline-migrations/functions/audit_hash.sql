-- The audit chain's hash, defined once in the database: appends compute it inside append_audit (so
-- the chain lock is held for one statement and the commit, not for client round trips) and
-- `atc audit verify` recomputes it with the same function. The canonical row is jsonb's text form
-- (keys in a fixed order, normalised numbers) with the time in UTC to the microsecond, so it does
-- not depend on the session's TimeZone or DateStyle.
create or replace function atc.audit_hash(
  prev_hash text,
  id bigint,
  actor text,
  action text,
  subject_type text,
  subject_id text,
  details jsonb,
  created_at timestamptz
) returns text
language sql stable strict as $$
  select encode(sha256(convert_to(prev_hash || jsonb_build_object(
    'id', id,
    'actor', actor,
    'action', action,
    'subjectType', subject_type,
    'subjectId', subject_id,
    'details', details,
    'createdAt', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  )::text, 'UTF8')), 'hex')
$$;
