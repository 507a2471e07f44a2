-- The payload of `mission_status_changed` (contracts: events.ts); statuses as in step_change_json.
create or replace function atc.mission_change_json(mission_id uuid, from_status text, to_status text) returns jsonb
language sql
immutable
as $$
  select ('{"missionId":"' || mission_id::text || '","from":"' || from_status || '","to":"' || to_status
          || '"}')::jsonb
$$;
