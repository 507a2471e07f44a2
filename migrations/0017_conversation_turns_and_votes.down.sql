drop table atc.conversation_votes;
drop table atc.conversation_turns;
drop index atc.conversations_step_id_key;
alter table atc.conversations drop column plan;
alter table atc.conversations drop column planned_turns;
