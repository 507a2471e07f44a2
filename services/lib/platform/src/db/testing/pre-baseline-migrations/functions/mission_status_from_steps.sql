-- A mission's status from the statuses of its steps — the SQL twin of missionStatusFromSteps in
-- @atc/trading (missions.ts); mission-status-rule.int.test.ts checks that the two agree.
--   all succeeded → succeeded; all cancelled → cancelled; anything unfinished → queued while every
--   step is queued, else running; otherwise failed if any failed or went dead, else succeeded.
create or replace function atc.mission_status_from_steps(statuses text[]) returns text
language sql immutable as $$
  select case
    when coalesce(cardinality(statuses), 0) = 0 then 'cancelled'
    when 'succeeded' = all(statuses) then 'succeeded'
    when 'cancelled' = all(statuses) then 'cancelled'
    when statuses && array['queued', 'running', 'executing', 'needs_reconciliation'] then
      case when 'queued' = all(statuses) then 'queued' else 'running' end
    when statuses && array['failed', 'dead'] then 'failed'
    else 'succeeded'
  end
$$;
