-- One change of `steps_status_changed` (contracts: StepStatusChange) as JSON text. Ids and statuses
-- are written as they are: uuids and status names never need escaping (every status and market is
-- one of the steps table's checked values; anything else would make the payload invalid JSON and
-- fail the statement, not write a wrong event). The error is free text and goes through to_json.
create or replace function atc.step_change_json(
  step_id uuid, mission_id uuid, market text, from_status text, to_status text, error text
) returns text
language sql
stable
as $$
  select '{"stepId":"' || step_id::text || '","missionId":"' || mission_id::text
         || '","market":' || coalesce('"' || market || '"', 'null')
         || ',"from":"' || from_status || '","to":"' || to_status
         || '","error":' || case when error is null then 'null' else to_json(error)::text end || '}'
$$;
