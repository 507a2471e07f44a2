create or replace function atc.audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'atc.audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
