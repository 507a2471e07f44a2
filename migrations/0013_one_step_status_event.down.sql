-- Reverses the rewrite exactly: the rewritten rows are the steps_status_changed events with an
-- aggregate_id (see the up migration). The function stays dropped, as for every removed function
-- (migrations/README.md): the next `up` applies the function files of that checkout.
update atc.events
   set type = 'step_status_changed',
       payload = payload -> 'changes' -> 0
 where type = 'steps_status_changed'
   and aggregate_id is not null;
