-- The audit chain's hash, defined once in the database: appends compute it inside append_audit (so
-- the chain lock is held for one statement and the commit, not for client round trips) and
-- `atc audit verify` recomputes it with the same function. The canonical row is jsonb's text form
-- (keys in a fixed order, normalised numbers) with the time in UTC to the microsecond, so it does
-- not depend on the session's TimeZone or DateStyle.
create function atc.audit_hash(
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

-- Appends one row chained onto the current head, in one round trip. The advisory lock serialises
-- appenders until their transactions end, so two never chain onto the same head (a fork). Being
-- volatile plpgsql, the head query after the lock takes a fresh snapshot in READ COMMITTED and sees
-- the row the previous appender committed. Call it as the last write of a transaction: the lock is
-- held until commit.
create function atc.append_audit(
  p_actor text,
  p_action text,
  p_subject_type text,
  p_subject_id text,
  p_details jsonb
) returns bigint
language plpgsql volatile as $$
declare
  v_prev text;
  v_id bigint;
  v_at timestamptz := clock_timestamp();
begin
  perform pg_advisory_xact_lock(7310001);
  select hash into v_prev from atc.audit_log order by id desc limit 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_id := nextval(pg_get_serial_sequence('atc.audit_log', 'id'));
  insert into atc.audit_log (id, actor, action, subject_type, subject_id, details, prev_hash, hash, created_at)
  values (v_id, p_actor, p_action, p_subject_type, p_subject_id, p_details, v_prev,
          atc.audit_hash(v_prev, v_id, p_actor, p_action, p_subject_type, p_subject_id, p_details, v_at), v_at);
  return v_id;
end;
$$;
