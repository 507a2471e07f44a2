-- One path and one event type for step status changes (issue 14). atc.transition_steps
-- (functions/transition_steps.sql, applied after this migration) replaces atc.settle_held_steps and
-- every other writer; `step_status_changed` is no longer written.
-- `if exists`: a database built from a squashed baseline may never have had it.
drop function if exists atc.settle_held_steps(jsonb);

-- Earlier single-step events become what a single change is now: a `steps_status_changed` with a
-- list of one change. The events table has no append-only trigger (only the audit log has). The
-- rewritten rows keep their aggregate_id (the step's id), which steps_status_changed never sets
-- otherwise: that is how the down migration finds exactly these rows again.
update atc.events
   set type = 'steps_status_changed',
       payload = jsonb_build_object('changes', jsonb_build_array(payload))
 where type = 'step_status_changed';
