-- Tracing (issue 17): the W3C trace context of the span that took a proposal in (API, heartbeat
-- phase, CLI), carried to its mission and its steps, so a worker in another process starts the
-- step's span as a child of it and one trade is one trace. Null when tracing is off, and for rows
-- written before this migration. Nullable without a default: adding each column is a catalogue change
-- only, no table rewrite.
-- One domain, so the three columns share one format check: version 00 as W3C Trace Context level 1
-- writes it (lowercase hex, a trace id and a parent id that are not all zeros, two flag digits).
create domain atc.traceparent as text
  constraint traceparent_format check (
    value ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'
    and substr(value, 4, 32) <> repeat('0', 32)
    and substr(value, 37, 16) <> repeat('0', 16)
  );

alter table atc.proposals add column traceparent atc.traceparent;
alter table atc.missions add column traceparent atc.traceparent;
alter table atc.steps add column traceparent atc.traceparent;
