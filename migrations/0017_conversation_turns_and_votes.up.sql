-- Issue 19 (R2): a roundtable is a conversation of N turns, each persisted as it is said, so a
-- worker that dies mid-conversation is resumed by the next one from its last stored turn.

-- The conversation's plan, fixed when it starts (a resumed attempt reads it instead of drawing
-- again): its length and the affinities and seed its speakers are chosen from.
alter table atc.conversations add column planned_turns integer check (planned_turns > 0);
alter table atc.conversations add column plan jsonb;

-- One conversation per step: a retried or resumed step finds its conversation by step id (and two
-- attempts racing to start it insert one row).
create unique index conversations_step_id_key on atc.conversations (step_id) where step_id is not null;

-- One row per turn, written in the transaction that appends its `conversation_turn` event. The
-- primary key is what makes a resumed or raced turn impossible to write twice.
create table atc.conversation_turns (
  conversation_id uuid not null references atc.conversations (id) on delete cascade,
  turn integer not null check (turn > 0),
  agent text not null check (agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  text text not null check (char_length(text) between 1 and 120),
  stance text not null check (stance in ('support', 'caution', 'neutral')),
  voice text not null check (voice in ('llm', 'rules')),
  prompt_version text not null,
  -- {model, inputTokens, outputTokens, costUsd} of an LLM turn; null for a rule-based one.
  usage jsonb,
  fallback_reason text,
  created_at timestamptz not null default now(),
  primary key (conversation_id, turn)
);

-- One vote per participant at the end of a conversation.
create table atc.conversation_votes (
  conversation_id uuid not null references atc.conversations (id) on delete cascade,
  agent text not null check (agent in ('atlas', 'sage', 'scout', 'growth', 'intel', 'observer')),
  vote text not null check (vote in ('support', 'oppose', 'abstain')),
  confidence numeric(3, 2) not null check (confidence between 0 and 1),
  reason text not null,
  voice text not null check (voice in ('llm', 'rules')),
  prompt_version text not null,
  usage jsonb,
  created_at timestamptz not null default now(),
  primary key (conversation_id, agent)
);
