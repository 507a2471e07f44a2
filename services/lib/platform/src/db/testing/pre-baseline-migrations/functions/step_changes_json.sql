-- The payload of `steps_status_changed` from its changes (step_change_json texts joined by commas).
create or replace function atc.step_changes_json(changes text) returns jsonb
language sql
immutable
as $$
  select ('{"changes":[' || changes || ']}')::jsonb
$$;
