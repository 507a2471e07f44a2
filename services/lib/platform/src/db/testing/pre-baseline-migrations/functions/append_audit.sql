-- Appends one row chained onto the current head, in one round trip. The advisory lock serialises
-- appenders until their transactions end, so two never chain onto the same head (a fork). Being
-- volatile plpgsql, the head query after the lock takes a fresh snapshot in READ COMMITTED and sees
-- the row the previous appender committed. Call it as the last write of a transaction: the lock is
-- held until commit.
create or replace function atc.append_audit(
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
