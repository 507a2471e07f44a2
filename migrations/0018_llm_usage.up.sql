-- LLM voices (issue 19, Deliver 4): the `llm` policy (prices per model, per-agent daily budgets), the
-- measured usage per trading day, agent and model, and the budget alerts already raised.

alter table atc.policies drop constraint policies_key_check;
alter table atc.policies add constraint policies_key_check check (key in (
  'calendar', 'trade_limits', 'risk_controls', 'quotas', 'approval', 'venues', 'memory_influence',
  'relationship_drift', 'initiative', 'agents', 'reaction_matrix', 'roundtable', 'halts',
  'signal_scan', 'position_management', 'pricing', 'llm'));

-- One row per trading day (the calendar policy's zone), agent and model, added to atomically after
-- each call (`insert … on conflict do update`) from the response's usage fields. Cost is computed
-- with decimals from the policy's prices at the time of the call.
create table atc.llm_usage (
  day date not null,
  agent atc.agent not null,
  model text not null check (length(model) between 1 and 200),
  calls integer not null default 0 check (calls >= 0),
  input_tokens bigint not null default 0 check (input_tokens >= 0),
  output_tokens bigint not null default 0 check (output_tokens >= 0),
  cost_usd numeric not null default 0 check (cost_usd >= 0),
  updated_at timestamptz not null default now(),
  primary key (day, agent, model)
);

-- A budget alert (80 % warning, 100 % exhausted) is raised once per agent, day and threshold: the
-- insert that wins this key is the one that writes the event.
create table atc.llm_budget_alerts (
  day date not null,
  agent atc.agent not null,
  threshold text not null check (threshold in ('warning', 'exhausted')),
  created_at timestamptz not null default now(),
  primary key (day, agent, threshold)
);
