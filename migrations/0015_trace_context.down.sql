alter table atc.steps drop column traceparent;
alter table atc.missions drop column traceparent;
alter table atc.proposals drop column traceparent;
drop domain atc.traceparent;
