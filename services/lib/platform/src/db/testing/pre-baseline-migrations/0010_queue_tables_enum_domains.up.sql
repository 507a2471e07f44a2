-- The enumerated columns of the step queue's tables (steps, missions, events) become domains
-- (measured by `npm run bench:queue`). Every INSERT or UPDATE statement re-reads each of its table's
-- CHECKs from their stored text, plans and compiles them, whichever columns it writes: for the
-- queue's statements (a claim, a batched settle, their events and mission roll-ups — a handful of
-- rows each) that was close to half of a statement's fixed cost. A domain's constraint is compiled
-- once per session (type cache) and checked only where its column is written. The allowed values
-- are unchanged and still equal the contracts enums (tested); the other tables keep their CHECKs —
-- the queue's batched claims and settles write none of them (an order is written once or twice per
-- trade, next to a venue call that costs far more).

-- The status of a step.
create domain atc.step_status as text
  check (value in (
    'queued', 'running', 'executing', 'succeeded', 'failed', 'needs_reconciliation', 'cancelled',
    'dead'
  ));

-- What a step does.
create domain atc.step_kind as text
  check (value in (
    'analyze', 'calculate_risk', 'execute_trade', 'close_position', 'monitor_position', 'roundtable'
  ));

-- A market.
create domain atc.market as text
  check (value in (
    'crypto', 'options', 'futures'
  ));

-- One of the six agents.
create domain atc.agent as text
  check (value in (
    'atlas', 'sage', 'scout', 'growth', 'intel', 'observer'
  ));

-- The status of a mission.
create domain atc.mission_status as text
  check (value in (
    'queued', 'running', 'succeeded', 'failed', 'cancelled'
  ));

-- The wake-up trigger names steps.status (update of status, and its when clause): it is dropped
-- for the column's change and re-created as 0007 made it.
drop trigger steps_notify_queued on atc.steps;

alter table atc.steps
  drop constraint steps_status_check,
  drop constraint steps_kind_check,
  drop constraint steps_market_check,
  alter column status type atc.step_status,
  alter column kind type atc.step_kind,
  alter column market type atc.market;

create trigger steps_notify_queued
  after insert or update of status on atc.steps
  for each row
  when (new.status = 'queued' and new.market is not null)
  execute function atc.notify_step_queued();

alter table atc.missions
  drop constraint missions_status_check,
  alter column status type atc.mission_status;

alter table atc.events
  drop constraint events_agent_check,
  drop constraint events_market_check,
  alter column agent type atc.agent,
  alter column market type atc.market;
