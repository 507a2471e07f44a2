-- THE rule for a mission's status from the statuses of its steps (in step order); the only copy:
-- atc.transition_steps rolls missions up with it, and mission-status-rule.int.test.ts holds its cases.
--   all succeeded → succeeded; all cancelled → cancelled; anything unfinished → queued while every
--   step is queued, else running; otherwise failed if any failed or went dead, else succeeded.
--   needs_reconciliation is unfinished: the venue may still have filled it. No steps → cancelled.
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
