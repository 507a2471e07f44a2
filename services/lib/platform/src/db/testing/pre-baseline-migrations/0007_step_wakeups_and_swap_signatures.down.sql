drop table atc.swap_signatures;
drop trigger steps_notify_queued on atc.steps;
drop function atc.notify_step_queued();
