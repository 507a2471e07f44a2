drop function atc.settle_held_steps(jsonb);
drop function atc.mission_status_from_steps(text[]);
drop function atc.claim_steps(text, text, int, double precision, text[]);
create index steps_mission_id_idx on atc.steps (mission_id);
drop index atc.steps_claim_idx;
