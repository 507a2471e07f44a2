-- Placeholder on branch wave/o1 only: migration 0015 is the trace context (issue 17, branch wave/o4),
-- which replaces this file at merge. Here it only keeps the numbering without gaps for 0016.
select 1;
