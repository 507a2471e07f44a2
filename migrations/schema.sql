CREATE SCHEMA atc;

CREATE DOMAIN atc.agent AS text
	CONSTRAINT agent_check CHECK ((VALUE = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text])));

CREATE DOMAIN atc.market AS text
	CONSTRAINT market_check CHECK ((VALUE = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text])));

CREATE DOMAIN atc.mission_status AS text
	CONSTRAINT mission_status_check CHECK ((VALUE = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text])));

CREATE DOMAIN atc.step_kind AS text
	CONSTRAINT step_kind_check CHECK ((VALUE = ANY (ARRAY['analyze'::text, 'calculate_risk'::text, 'execute_trade'::text, 'close_position'::text, 'monitor_position'::text, 'roundtable'::text])));

CREATE DOMAIN atc.step_status AS text
	CONSTRAINT step_status_check CHECK ((VALUE = ANY (ARRAY['queued'::text, 'running'::text, 'executing'::text, 'succeeded'::text, 'failed'::text, 'needs_reconciliation'::text, 'cancelled'::text, 'dead'::text])));

CREATE DOMAIN atc.traceparent AS text
	CONSTRAINT traceparent_format CHECK (((VALUE ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$'::text) AND (substr(VALUE, 4, 32) <> repeat('0'::text, 32)) AND (substr(VALUE, 37, 16) <> repeat('0'::text, 16))));

CREATE FUNCTION atc.append_audit(p_actor text, p_action text, p_subject_type text, p_subject_id text, p_details jsonb) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
declare
  v_prev text;
  v_id bigint;
  v_at timestamptz := clock_timestamp();
begin
  perform pg_advisory_xact_lock(7310001);
  select hash into v_prev from atc.audit_log order by id desc limit 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_id := nextval(pg_get_serial_sequence('atc.audit_log', 'id'));
  insert into atc.audit_log (id, actor, action, subject_type, subject_id, details, prev_hash, hash, created_at)
  values (v_id, p_actor, p_action, p_subject_type, p_subject_id, p_details, v_prev,
          atc.audit_hash(v_prev, v_id, p_actor, p_action, p_subject_type, p_subject_id, p_details, v_at), v_at);
  return v_id;
end;
$$;

CREATE FUNCTION atc.audit_hash(prev_hash text, id bigint, actor text, action text, subject_type text, subject_id text, details jsonb, created_at timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE STRICT
    AS $$
  select encode(sha256(convert_to(prev_hash || jsonb_build_object(
    'id', id,
    'actor', actor,
    'action', action,
    'subjectType', subject_type,
    'subjectId', subject_id,
    'details', details,
    'createdAt', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  )::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION atc.audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'atc.audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

CREATE FUNCTION atc.claim_agent_steps(worker_id text, max_steps integer, lease_ms double precision, kinds text[]) RETURNS TABLE(id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamp with time zone)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
begin
  return query
    select * from atc.take_claimed_steps(
      array(
        select s.id
          from atc.steps s
         where s.status = 'queued'
           and s.run_after <= now()
           and s.kind = any(kinds)
         order by s.priority, s.run_after
         limit max_steps
           for update skip locked),
      worker_id,
      lease_ms);
end;
$$;

CREATE FUNCTION atc.claim_steps(claim_market text, worker_id text, max_steps integer, lease_ms double precision, kinds text[]) RETURNS TABLE(id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamp with time zone)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
begin
  -- Served by steps_claim_idx: queued rows of one market, already in (priority, run_after) order.
  return query
    select * from atc.take_claimed_steps(
      array(
        select s.id
          from atc.steps s
         where s.market = claim_market
           and s.status = 'queued'
           and s.run_after <= now()
           and s.kind = any(kinds)
         order by s.priority, s.run_after
         limit max_steps
           for update skip locked),
      worker_id,
      lease_ms);
end;
$$;

CREATE FUNCTION atc.mission_change_json(mission_id uuid, from_status text, to_status text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select ('{"missionId":"' || mission_id::text || '","from":"' || from_status || '","to":"' || to_status
          || '"}')::jsonb
$$;

CREATE FUNCTION atc.mission_status_from_steps(statuses text[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case
    when coalesce(cardinality(statuses), 0) = 0 then 'cancelled'
    when 'succeeded' = all(statuses) then 'succeeded'
    when 'cancelled' = all(statuses) then 'cancelled'
    when statuses && array['queued', 'running', 'executing', 'needs_reconciliation'] then
      case when 'queued' = all(statuses) then 'queued' else 'running' end
    when statuses && array['failed', 'dead'] then 'failed'
    else 'succeeded'
  end
$$;

CREATE FUNCTION atc.notify_step_queued() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform pg_notify('atc_steps', new.market);
  return null;
end;
$$;

CREATE FUNCTION atc.step_change_json(step_id uuid, mission_id uuid, market text, from_status text, to_status text, error text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select '{"stepId":"' || step_id::text || '","missionId":"' || mission_id::text
         || '","market":' || coalesce('"' || market || '"', 'null')
         || ',"from":"' || from_status || '","to":"' || to_status
         || '","error":' || case when error is null then 'null' else to_json(error)::text end || '}'
$$;

CREATE FUNCTION atc.step_changes_json(changes text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select ('{"changes":[' || changes || ']}')::jsonb
$$;

CREATE FUNCTION atc.take_claimed_steps(claimed uuid[], worker_id text, lease_ms double precision) RETURNS TABLE(id uuid, mission_id uuid, kind text, market text, attempt integer, max_attempts integer, payload jsonb, lease_owner text, lease_expires_at timestamp with time zone)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
#variable_conflict use_column
declare
  ids uuid[];
  mission_ids uuid[];
  step_kinds text[];
  markets text[];
  attempts int[];
  attempt_limits int[];
  payloads jsonb[];
  owners text[];
  expiries timestamptz[];
  newest_step_event bigint;
  newest_mission_event bigint;
begin
  if coalesce(cardinality(claimed), 0) = 0 then
    return;
  end if;

  with moved as (
    update atc.steps s
       set status = 'running',
           lease_owner = worker_id,
           lease_expires_at = now() + make_interval(secs => lease_ms / 1000),
           attempt = s.attempt + 1,
           started_at = coalesce(s.started_at, now()),
           updated_at = now()
      from unnest(claimed) as k(id)
     where s.id = k.id
 returning s.id, s.mission_id, s.kind, s.market, s.attempt, s.max_attempts, s.payload, s.lease_owner,
           s.lease_expires_at
  ),
  step_event as (
    insert into atc.events (type, aggregate_type, market, payload)
    select 'steps_status_changed', 'step', case when count(distinct m.market) = 1 then min(m.market) end,
           atc.step_changes_json(string_agg(
             atc.step_change_json(m.id, m.mission_id, m.market, 'queued', 'running', null), ',' order by m.id))
      from moved m
    having count(*) > 0
    returning id
  ),
  in_claim_order as (
    select m.* from unnest(claimed) with ordinality as k(id, n) join moved m on m.id = k.id order by k.n
  )
  select array_agg(c.id), array_agg(c.mission_id), array_agg(c.kind), array_agg(c.market),
         array_agg(c.attempt), array_agg(c.max_attempts), array_agg(c.payload), array_agg(c.lease_owner),
         array_agg(c.lease_expires_at), (select max(e.id) from step_event e)
    into ids, mission_ids, step_kinds, markets, attempts, attempt_limits, payloads, owners, expiries,
         newest_step_event
    from in_claim_order c;

  -- A mission is queued only while every step is (atc.mission_status_from_steps): its first claimed
  -- step makes it running; a mission already past queued is neither locked nor touched.
  with locked as (
    select m.id
      from (select distinct k.id from unnest(mission_ids) as k(id)) as k
      join atc.missions m on m.id = k.id
     where m.status = 'queued'
     order by m.id
       for update of m
  ),
  changed as (
    update atc.missions m
       set status = 'running', updated_at = now()
      from locked l
     where m.id = l.id
 returning m.id
  ),
  mission_events as (
    insert into atc.events (type, aggregate_type, aggregate_id, payload)
    select 'mission_status_changed', 'mission', c.id::text,
           atc.mission_change_json(c.id, 'queued', 'running')
      from changed c
    returning id
  )
  select max(e.id) into newest_mission_event from mission_events e;

  perform pg_notify('atc_events', greatest(newest_step_event, newest_mission_event)::text);

  return query
    select * from unnest(ids, mission_ids, step_kinds, markets, attempts, attempt_limits, payloads, owners,
                         expiries);
end;
$$;

CREATE FUNCTION atc.transition_steps(transitions jsonb) RETURNS TABLE(id uuid, mission_id uuid, market text, from_status text, to_status text)
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
#variable_conflict use_column
declare
  step_ids uuid[];
  touched_missions uuid[];
  moved_ids uuid[];
  moved_missions uuid[];
  moved_markets text[];
  moved_from text[];
  moved_to text[];
  newest_step_event bigint;
  newest_mission_event bigint;
begin
  -- Every lookup below joins an unnest() of ids to a primary key: the work follows the batch, never
  -- the size of the tables (jsonb_to_recordset alone is estimated at 100 rows and invites seq scans).
  step_ids := array(select (t ->> 'stepId')::uuid from jsonb_array_elements(transitions) as t);

  -- The missions, locked in id order first: sibling settles roll up one after the other, and two
  -- batches (or a batch and a claim) sharing missions take them in the same order, so they never
  -- deadlock on them. (Step rows of two batches never overlap: a step is held by one worker.)
  perform 1
     from atc.missions m
    where m.id in (select s.mission_id from unnest(step_ids) as k(id) join atc.steps s on s.id = k.id)
    order by m.id
      for update of m;

  with input as (
    select t."stepId" as step_id, t."workerId" as worker_id, t.attempt, t."from" as from_statuses,
           t."to" as to_status, t.error, t.result::jsonb as result, t."runAfterMs" as run_after_ms,
           coalesce(t."leaseExpired", false) as lease_expired, coalesce(t.unclaim, false) as unclaim
      from jsonb_to_recordset(transitions)
        as t("stepId" uuid, "workerId" text, attempt int, "from" text[], "to" text, error text,
             result text, "runAfterMs" int, "leaseExpired" boolean, unclaim boolean)
  ),
  -- The status each step had, for its event. Only the fence's holder (or, for an unheld step, the
  -- one transaction that wins its row lock) moves a step, so the fence below passing means this is
  -- still the status the UPDATE replaces.
  prior as (
    select s.id, s.status, i.*
      from unnest(step_ids) as k(id)
      join atc.steps s on s.id = k.id
      join input i on i.step_id = s.id
  ),
  -- The fence: owner and fencing token (or no owner at all), an expected status, and for a recovery
  -- a lease that has run out, re-checked by the UPDATE on the row it locks (a row changed meanwhile is
  -- re-read), so a lost lease moves nothing and two writers never both move a step.
  moved as (
    update atc.steps s
       set status = p.to_status,
           last_error = coalesce(p.error, s.last_error),
           result = coalesce(p.result, s.result),
           attempt = case when p.unclaim then s.attempt - 1 else s.attempt end,
           run_after = case when p.run_after_ms is null then s.run_after
                            else now() + make_interval(secs => p.run_after_ms::double precision / 1000) end,
           lease_owner = case when p.to_status in ('running', 'executing') then s.lease_owner end,
           lease_expires_at = case when p.to_status in ('running', 'executing') then s.lease_expires_at end,
           finished_at = case when p.to_status in ('succeeded', 'failed', 'cancelled', 'dead', 'needs_reconciliation')
                              then now() else s.finished_at end,
           updated_at = now()
      from prior p
     where s.id = p.id
       and case when p.worker_id is null then s.lease_owner is null
                else s.lease_owner = p.worker_id and s.attempt = p.attempt end
       and (not p.lease_expired or s.lease_expires_at < now())
       and s.status = any(p.from_statuses)
 returning s.id, s.mission_id, s.market, p.status as from_status, s.status as to_status, p.error
  ),
  step_event as (
    insert into atc.events (type, aggregate_type, market, payload)
    select 'steps_status_changed', 'step', case when count(distinct m.market) = 1 then min(m.market) end,
           atc.step_changes_json(string_agg(
             atc.step_change_json(m.id, m.mission_id, m.market, m.from_status, m.to_status, m.error), ','
             order by m.id))
      from moved m
    having count(*) > 0
    returning id
  )
  select array_agg(m.id), array_agg(m.mission_id), array_agg(m.market), array_agg(m.from_status),
         array_agg(m.to_status), array_agg(distinct m.mission_id), (select max(e.id) from step_event e)
    into moved_ids, moved_missions, moved_markets, moved_from, moved_to, touched_missions, newest_step_event
    from moved m;

  if moved_ids is null then
    return;
  end if;

  -- The roll-up: a new statement, so it sees this batch's transitions and every sibling settled by
  -- a transaction that held the mission lock before us. Materialized: the rule runs once per mission.
  with derived as materialized (
    select m.id, m.status as old_status, atc.mission_status_from_steps(siblings.statuses) as new_status
      from unnest(touched_missions) as k(id)
      join atc.missions m on m.id = k.id
     cross join lateral (
       select array_agg(s.status order by s.seq) as statuses from atc.steps s where s.mission_id = m.id
     ) as siblings
  ),
  changed as (
    update atc.missions m
       set status = d.new_status,
           finished_at = case when d.new_status in ('succeeded', 'failed', 'cancelled') then now() end,
           updated_at = now()
      from derived d
     where m.id = d.id and d.new_status <> d.old_status
 returning m.id, d.old_status, d.new_status
  ),
  mission_events as (
    insert into atc.events (type, aggregate_type, aggregate_id, payload)
    select 'mission_status_changed', 'mission', c.id::text,
           atc.mission_change_json(c.id, c.old_status, c.new_status)
      from changed c
    returning id
  )
  select max(e.id) into newest_mission_event from mission_events e;

  perform pg_notify('atc_events', greatest(newest_step_event, newest_mission_event)::text);

  return query
    select * from unnest(moved_ids, moved_missions, moved_markets, moved_from, moved_to);
end;
$$;

CREATE TABLE atc.api_keys (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    key_hash text NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    prefix text NOT NULL,
    expires_at timestamp with time zone,
    CONSTRAINT api_keys_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'operator'::text, 'admin'::text])))
);

CREATE TABLE atc.audit_log (
    id bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT audit_log_action_check CHECK ((action ~ '^[a-z][a-z0-9]*([._][a-z0-9]+)*$'::text)),
    CONSTRAINT audit_log_hash_check CHECK ((hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_log_prev_hash_check CHECK ((prev_hash ~ '^[0-9a-f]{64}$'::text))
);

ALTER TABLE atc.audit_log ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME atc.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE atc.conversation_turns (
    conversation_id uuid NOT NULL,
    turn integer NOT NULL,
    agent text NOT NULL,
    text text NOT NULL,
    stance text NOT NULL,
    voice text NOT NULL,
    prompt_version text NOT NULL,
    usage jsonb,
    fallback_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversation_turns_agent_check CHECK ((agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT conversation_turns_stance_check CHECK ((stance = ANY (ARRAY['support'::text, 'caution'::text, 'neutral'::text]))),
    CONSTRAINT conversation_turns_text_check CHECK (((char_length(text) >= 1) AND (char_length(text) <= 120))),
    CONSTRAINT conversation_turns_turn_check CHECK ((turn > 0)),
    CONSTRAINT conversation_turns_voice_check CHECK ((voice = ANY (ARRAY['llm'::text, 'rules'::text])))
);

CREATE TABLE atc.conversation_votes (
    conversation_id uuid NOT NULL,
    agent text NOT NULL,
    vote text NOT NULL,
    confidence numeric(3,2) NOT NULL,
    reason text NOT NULL,
    voice text NOT NULL,
    prompt_version text NOT NULL,
    usage jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversation_votes_agent_check CHECK ((agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT conversation_votes_confidence_check CHECK (((confidence >= (0)::numeric) AND (confidence <= (1)::numeric))),
    CONSTRAINT conversation_votes_voice_check CHECK ((voice = ANY (ARRAY['llm'::text, 'rules'::text]))),
    CONSTRAINT conversation_votes_vote_check CHECK ((vote = ANY (ARRAY['support'::text, 'oppose'::text, 'abstain'::text])))
);

CREATE TABLE atc.conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    format text NOT NULL,
    topic text NOT NULL,
    participants text[] NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    proposal_id uuid,
    step_id uuid,
    transcript jsonb DEFAULT '[]'::jsonb NOT NULL,
    outcome jsonb,
    last_error text,
    scheduled_for timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    planned_turns integer,
    plan jsonb,
    CONSTRAINT conversations_format_check CHECK ((format = ANY (ARRAY['morning_standup'::text, 'position_review'::text, 'post_mortem'::text, 'debate'::text, 'strategy_session'::text, 'watercooler'::text, 'trade_review'::text]))),
    CONSTRAINT conversations_planned_turns_check CHECK ((planned_turns > 0)),
    CONSTRAINT conversations_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text])))
);

CREATE TABLE atc.counters (
    name text NOT NULL,
    trading_day date NOT NULL,
    value integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT counters_name_check CHECK ((name = ANY (ARRAY['trades'::text, 'analyses'::text, 'roundtables'::text]))),
    CONSTRAINT counters_value_check CHECK ((value >= 0))
);

CREATE TABLE atc.entry_admissions (
    proposal_id uuid NOT NULL,
    step_seq integer NOT NULL,
    market text NOT NULL,
    instrument text NOT NULL,
    quantity numeric NOT NULL,
    multiplier numeric NOT NULL,
    price numeric NOT NULL,
    notional_usd numeric NOT NULL,
    price_source text NOT NULL,
    priced_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT entry_admissions_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT entry_admissions_multiplier_check CHECK ((multiplier > (0)::numeric)),
    CONSTRAINT entry_admissions_notional_usd_check CHECK ((notional_usd >= (0)::numeric)),
    CONSTRAINT entry_admissions_price_check CHECK ((price > (0)::numeric)),
    CONSTRAINT entry_admissions_price_source_check CHECK ((price_source = ANY (ARRAY['venue_quote'::text, 'mark'::text]))),
    CONSTRAINT entry_admissions_quantity_check CHECK ((quantity > (0)::numeric)),
    CONSTRAINT entry_admissions_step_seq_check CHECK ((step_seq >= 0))
);

CREATE TABLE atc.event_cursors (
    name text NOT NULL,
    last_event_id bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT event_cursors_last_event_id_check CHECK ((last_event_id >= 0)),
    CONSTRAINT event_cursors_name_check CHECK ((name ~ '^[a-z][a-z0-9_]*$'::text))
);

CREATE TABLE atc.events (
    id bigint NOT NULL,
    type text NOT NULL,
    aggregate_type text,
    aggregate_id text,
    market atc.market,
    agent atc.agent,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT events_type_check CHECK ((type ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'::text))
)
WITH (toast_tuple_target='8160');

ALTER TABLE atc.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME atc.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE atc.fills (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    order_id uuid NOT NULL,
    position_id uuid,
    market text NOT NULL,
    venue_fill_id text NOT NULL,
    side text NOT NULL,
    quantity numeric NOT NULL,
    price numeric NOT NULL,
    fee numeric DEFAULT 0 NOT NULL,
    realised_pnl numeric DEFAULT 0 NOT NULL,
    filled_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fills_fee_check CHECK ((fee >= (0)::numeric)),
    CONSTRAINT fills_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT fills_price_check CHECK ((price >= (0)::numeric)),
    CONSTRAINT fills_quantity_check CHECK ((quantity > (0)::numeric)),
    CONSTRAINT fills_side_check CHECK ((side = ANY (ARRAY['buy'::text, 'sell'::text])))
);

CREATE TABLE atc.heartbeat_lease (
    name text NOT NULL,
    owner text NOT NULL,
    run_id uuid,
    acquired_at timestamp with time zone NOT NULL,
    renewed_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    previous_owner text,
    previous_run_id uuid,
    previous_expires_at timestamp with time zone,
    CONSTRAINT heartbeat_lease_name_check CHECK ((name = 'heartbeat'::text))
);

CREATE TABLE atc.heartbeat_runs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    owner text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    duration_ms integer,
    phases jsonb DEFAULT '[]'::jsonb NOT NULL,
    errors jsonb DEFAULT '[]'::jsonb NOT NULL,
    took_over_run_id uuid,
    CONSTRAINT heartbeat_runs_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT heartbeat_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'success'::text, 'partial_failure'::text, 'failure'::text, 'skipped'::text])))
);

CREATE TABLE atc.llm_budget_alerts (
    day date NOT NULL,
    agent atc.agent NOT NULL,
    threshold text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT llm_budget_alerts_threshold_check CHECK ((threshold = ANY (ARRAY['warning'::text, 'exhausted'::text])))
);

CREATE TABLE atc.llm_usage (
    day date NOT NULL,
    agent atc.agent NOT NULL,
    model text NOT NULL,
    calls integer DEFAULT 0 NOT NULL,
    input_tokens bigint DEFAULT 0 NOT NULL,
    output_tokens bigint DEFAULT 0 NOT NULL,
    cost_usd numeric DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT llm_usage_calls_check CHECK ((calls >= 0)),
    CONSTRAINT llm_usage_cost_usd_check CHECK ((cost_usd >= (0)::numeric)),
    CONSTRAINT llm_usage_input_tokens_check CHECK ((input_tokens >= 0)),
    CONSTRAINT llm_usage_model_check CHECK (((length(model) >= 1) AND (length(model) <= 200))),
    CONSTRAINT llm_usage_output_tokens_check CHECK ((output_tokens >= 0))
);

CREATE TABLE atc.memories (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    agent text NOT NULL,
    type text NOT NULL,
    content text NOT NULL,
    confidence numeric(3,2) NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    source_trace_id text,
    promoted boolean DEFAULT false NOT NULL,
    upvotes integer DEFAULT 0 NOT NULL,
    downvotes integer DEFAULT 0 NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_accessed_at timestamp with time zone,
    CONSTRAINT memories_agent_check CHECK ((agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT memories_confidence_check CHECK (((confidence >= (0)::numeric) AND (confidence <= (1)::numeric))),
    CONSTRAINT memories_type_check CHECK ((type = ANY (ARRAY['insight'::text, 'pattern'::text, 'strategy'::text, 'preference'::text, 'lesson'::text])))
);

CREATE TABLE atc.missions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    proposal_id uuid NOT NULL,
    title text NOT NULL,
    status atc.mission_status DEFAULT 'queued'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    traceparent atc.traceparent
);

CREATE TABLE atc.orders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    step_id uuid NOT NULL,
    attempt integer NOT NULL,
    client_order_id text NOT NULL,
    market text NOT NULL,
    symbol text NOT NULL,
    side text NOT NULL,
    order_type text NOT NULL,
    quantity numeric NOT NULL,
    limit_price numeric,
    multiplier numeric DEFAULT 1 NOT NULL,
    status text DEFAULT 'intent'::text NOT NULL,
    venue_order_id text,
    filled_quantity numeric DEFAULT 0 NOT NULL,
    average_fill_price numeric,
    intent jsonb DEFAULT '{}'::jsonb NOT NULL,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    admitted_notional_usd numeric,
    price_source text,
    priced_at timestamp with time zone,
    send_price numeric,
    send_notional_usd numeric,
    CONSTRAINT orders_admitted_notional_usd_check CHECK ((admitted_notional_usd >= (0)::numeric)),
    CONSTRAINT orders_attempt_check CHECK ((attempt >= 0)),
    CONSTRAINT orders_client_order_id_check CHECK ((client_order_id ~ '^[A-Za-z0-9-]{1,64}$'::text)),
    CONSTRAINT orders_filled_quantity_check CHECK ((filled_quantity >= (0)::numeric)),
    CONSTRAINT orders_limit_price_check CHECK ((limit_price > (0)::numeric)),
    CONSTRAINT orders_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT orders_multiplier_check CHECK ((multiplier > (0)::numeric)),
    CONSTRAINT orders_order_type_check CHECK ((order_type = ANY (ARRAY['market'::text, 'limit'::text]))),
    CONSTRAINT orders_price_source_check CHECK ((price_source = ANY (ARRAY['venue_quote'::text, 'mark'::text]))),
    CONSTRAINT orders_quantity_check CHECK ((quantity > (0)::numeric)),
    CONSTRAINT orders_send_notional_usd_check CHECK ((send_notional_usd >= (0)::numeric)),
    CONSTRAINT orders_send_price_check CHECK ((send_price > (0)::numeric)),
    CONSTRAINT orders_side_check CHECK ((side = ANY (ARRAY['buy'::text, 'sell'::text]))),
    CONSTRAINT orders_status_check CHECK ((status = ANY (ARRAY['intent'::text, 'submitted'::text, 'accepted'::text, 'partially_filled'::text, 'filled'::text, 'cancelled'::text, 'rejected'::text, 'unknown'::text])))
);

CREATE TABLE atc.outcomes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    position_id uuid NOT NULL,
    market text NOT NULL,
    symbol text NOT NULL,
    side text NOT NULL,
    quantity numeric NOT NULL,
    entry_price numeric NOT NULL,
    exit_price numeric NOT NULL,
    realised_pnl numeric NOT NULL,
    pnl_fraction numeric NOT NULL,
    outcome_type text NOT NULL,
    hold_seconds integer NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    learned_at timestamp with time zone,
    CONSTRAINT outcomes_hold_seconds_check CHECK ((hold_seconds >= 0)),
    CONSTRAINT outcomes_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT outcomes_outcome_type_check CHECK ((outcome_type = ANY (ARRAY['win'::text, 'loss'::text, 'breakeven'::text]))),
    CONSTRAINT outcomes_side_check CHECK ((side = ANY (ARRAY['long'::text, 'short'::text])))
);

CREATE SEQUENCE atc.policy_version_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

CREATE TABLE atc.policies (
    key text NOT NULL,
    value jsonb NOT NULL,
    version bigint DEFAULT nextval('atc.policy_version_seq'::regclass) NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT policies_key_check CHECK ((key = ANY (ARRAY['calendar'::text, 'trade_limits'::text, 'risk_controls'::text, 'quotas'::text, 'approval'::text, 'venues'::text, 'memory_influence'::text, 'relationship_drift'::text, 'initiative'::text, 'agents'::text, 'reaction_matrix'::text, 'roundtable'::text, 'halts'::text, 'signal_scan'::text, 'position_management'::text, 'pricing'::text, 'llm'::text])))
);

CREATE TABLE atc.positions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    market text NOT NULL,
    symbol text NOT NULL,
    side text NOT NULL,
    quantity numeric NOT NULL,
    average_price numeric NOT NULL,
    multiplier numeric DEFAULT 1 NOT NULL,
    realised_pnl numeric DEFAULT 0 NOT NULL,
    entry_quantity numeric DEFAULT 0 NOT NULL,
    entry_notional numeric DEFAULT 0 NOT NULL,
    exit_quantity numeric DEFAULT 0 NOT NULL,
    exit_notional numeric DEFAULT 0 NOT NULL,
    stop_loss numeric,
    take_profit numeric,
    mark_price numeric,
    marked_at timestamp with time zone,
    status text DEFAULT 'open'::text NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    closed_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    unrealised_pnl numeric,
    high_water_price numeric,
    CONSTRAINT positions_average_price_check CHECK ((average_price >= (0)::numeric)),
    CONSTRAINT positions_check CHECK (((status = 'open'::text) = (closed_at IS NULL))),
    CONSTRAINT positions_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT positions_multiplier_check CHECK ((multiplier > (0)::numeric)),
    CONSTRAINT positions_quantity_check CHECK ((quantity >= (0)::numeric)),
    CONSTRAINT positions_side_check CHECK ((side = ANY (ARRAY['long'::text, 'short'::text]))),
    CONSTRAINT positions_status_check CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))
);

CREATE TABLE atc.price_samples (
    id bigint NOT NULL,
    market text NOT NULL,
    instrument text NOT NULL,
    last numeric NOT NULL,
    volume numeric,
    sampled_at timestamp with time zone NOT NULL,
    CONSTRAINT price_samples_last_check CHECK ((last > (0)::numeric)),
    CONSTRAINT price_samples_market_check CHECK ((market = ANY (ARRAY['crypto'::text, 'options'::text, 'futures'::text]))),
    CONSTRAINT price_samples_volume_check CHECK ((volume >= (0)::numeric))
);

ALTER TABLE atc.price_samples ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME atc.price_samples_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE atc.proposals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source text NOT NULL,
    source_trace_id text NOT NULL,
    agent text NOT NULL,
    title text NOT NULL,
    confidence numeric(5,4) NOT NULL,
    content jsonb NOT NULL,
    content_hash text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    reason_code text,
    reason_message text,
    policy_version bigint,
    trade_slots integer DEFAULT 0 NOT NULL,
    analysis_slots integer DEFAULT 0 NOT NULL,
    roundtable_slots integer DEFAULT 0 NOT NULL,
    slots_day date,
    expires_at timestamp with time zone,
    decided_by text,
    decided_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    traceparent atc.traceparent,
    CONSTRAINT proposals_agent_check CHECK ((agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT proposals_analysis_slots_check CHECK ((analysis_slots >= 0)),
    CONSTRAINT proposals_check CHECK (
CASE status
    WHEN 'rejected'::text THEN ((reason_code IS NOT NULL) AND (reason_code <> ALL (ARRAY['expired'::text, 'cancelled'::text])))
    WHEN 'expired'::text THEN (reason_code = 'expired'::text)
    WHEN 'cancelled'::text THEN (reason_code = 'cancelled'::text)
    ELSE (reason_code IS NULL)
END),
    CONSTRAINT proposals_confidence_check CHECK (((confidence >= (0)::numeric) AND (confidence <= (1)::numeric))),
    CONSTRAINT proposals_content_hash_check CHECK ((content_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT proposals_reason_code_check CHECK ((reason_code = ANY (ARRAY['min_confidence'::text, 'stop_loss_required'::text, 'position_size'::text, 'kill_switch'::text, 'market_halted'::text, 'daily_loss_latched'::text, 'daily_loss_limit'::text, 'no_open_position'::text, 'daily_trade_limit'::text, 'analysis_quota'::text, 'roundtable_quota'::text, 'max_open_positions'::text, 'total_exposure'::text, 'price_unavailable'::text, 'declared_notional_mismatch'::text, 'gate_error'::text, 'approver_rejected'::text, 'expired'::text, 'cancelled'::text]))),
    CONSTRAINT proposals_roundtable_slots_check CHECK ((roundtable_slots >= 0)),
    CONSTRAINT proposals_source_check CHECK ((source = ANY (ARRAY['agent'::text, 'trigger'::text, 'reaction'::text, 'roundtable'::text, 'operator'::text]))),
    CONSTRAINT proposals_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'awaiting_approval'::text, 'approved'::text, 'rejected'::text, 'expired'::text, 'cancelled'::text]))),
    CONSTRAINT proposals_trade_slots_check CHECK ((trade_slots >= 0))
);

CREATE TABLE atc.reaction_cooldowns (
    key text NOT NULL,
    until timestamp with time zone NOT NULL
);

CREATE TABLE atc.reactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source_agent text NOT NULL,
    target_agent text NOT NULL,
    reaction_type text NOT NULL,
    event_id bigint,
    status text DEFAULT 'queued'::text NOT NULL,
    proposal_id uuid,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    processed_at timestamp with time zone,
    CONSTRAINT reactions_source_agent_check CHECK ((source_agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT reactions_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'processing'::text, 'processed'::text, 'failed'::text]))),
    CONSTRAINT reactions_target_agent_check CHECK ((target_agent = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text])))
);

CREATE TABLE atc.relationships (
    agent_a text NOT NULL,
    agent_b text NOT NULL,
    affinity numeric(3,2) NOT NULL,
    total_interactions integer DEFAULT 0 NOT NULL,
    drift_log jsonb DEFAULT '[]'::jsonb NOT NULL,
    last_interaction_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT relationships_affinity_check CHECK (((affinity >= 0.10) AND (affinity <= 0.95))),
    CONSTRAINT relationships_agent_a_check CHECK ((agent_a = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT relationships_agent_b_check CHECK ((agent_b = ANY (ARRAY['atlas'::text, 'sage'::text, 'scout'::text, 'growth'::text, 'intel'::text, 'observer'::text]))),
    CONSTRAINT relationships_check CHECK ((agent_a < agent_b))
);

CREATE TABLE atc.schema_functions (
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schema_functions_checksum_check CHECK ((checksum ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT schema_functions_name_check CHECK ((name ~ '^[a-z][a-z0-9_]*$'::text))
);

CREATE TABLE atc.schema_migrations (
    id integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schema_migrations_checksum_check CHECK ((checksum ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT schema_migrations_id_check CHECK ((id > 0))
);

CREATE TABLE atc.steps (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    mission_id uuid NOT NULL,
    seq integer NOT NULL,
    kind atc.step_kind NOT NULL,
    market atc.market,
    status atc.step_status DEFAULT 'queued'::text NOT NULL,
    priority integer DEFAULT 100 NOT NULL,
    run_after timestamp with time zone DEFAULT now() NOT NULL,
    attempt integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 3 NOT NULL,
    lease_owner text,
    lease_expires_at timestamp with time zone,
    last_error text,
    payload jsonb NOT NULL,
    result jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    traceparent atc.traceparent,
    CONSTRAINT steps_attempt_check CHECK ((attempt >= 0)),
    CONSTRAINT steps_check CHECK (((market IS NOT NULL) OR ((kind)::text <> ALL (ARRAY['execute_trade'::text, 'close_position'::text, 'monitor_position'::text])))),
    CONSTRAINT steps_max_attempts_check CHECK ((max_attempts >= 1)),
    CONSTRAINT steps_seq_check CHECK ((seq >= 0))
);

CREATE TABLE atc.stream_tickets (
    ticket_hash text NOT NULL,
    principal_name text NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT stream_tickets_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'operator'::text, 'admin'::text])))
);

CREATE TABLE atc.swap_signatures (
    client_order_id text NOT NULL,
    signature text NOT NULL,
    last_valid_block_height bigint NOT NULL,
    record jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT swap_signatures_last_valid_block_height_check CHECK ((last_valid_block_height > 0))
);

CREATE TABLE atc.trigger_rules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    trigger_event text,
    interval_minutes integer,
    conditions jsonb DEFAULT '{}'::jsonb NOT NULL,
    action jsonb NOT NULL,
    cooldown_minutes integer DEFAULT 60 NOT NULL,
    fire_count integer DEFAULT 0 NOT NULL,
    last_fired_at timestamp with time zone,
    enabled boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT trigger_rules_check CHECK (((kind = 'reactive'::text) = (trigger_event IS NOT NULL))),
    CONSTRAINT trigger_rules_check1 CHECK (((kind = 'proactive'::text) = (interval_minutes IS NOT NULL))),
    CONSTRAINT trigger_rules_cooldown_minutes_check CHECK ((cooldown_minutes >= 0)),
    CONSTRAINT trigger_rules_fire_count_check CHECK ((fire_count >= 0)),
    CONSTRAINT trigger_rules_interval_minutes_check CHECK ((interval_minutes > 0)),
    CONSTRAINT trigger_rules_kind_check CHECK ((kind = ANY (ARRAY['reactive'::text, 'proactive'::text])))
);

CREATE TABLE atc.venue_health (
    venue text NOT NULL,
    reporter text NOT NULL,
    breaker_state text NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    CONSTRAINT venue_health_breaker_state_check CHECK ((breaker_state ~ '^[a-z][a-z_]*$'::text)),
    CONSTRAINT venue_health_reporter_check CHECK ((reporter ~ '^[a-z][a-z0-9_-]*$'::text)),
    CONSTRAINT venue_health_venue_check CHECK ((venue ~ '^[a-z][a-z0-9_]*$'::text))
);

ALTER TABLE ONLY atc.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

ALTER TABLE ONLY atc.api_keys
    ADD CONSTRAINT api_keys_name_key UNIQUE (name);

ALTER TABLE ONLY atc.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.audit_log
    ADD CONSTRAINT audit_log_hash_key UNIQUE (hash);

ALTER TABLE ONLY atc.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.conversation_turns
    ADD CONSTRAINT conversation_turns_pkey PRIMARY KEY (conversation_id, turn);

ALTER TABLE ONLY atc.conversation_votes
    ADD CONSTRAINT conversation_votes_pkey PRIMARY KEY (conversation_id, agent);

ALTER TABLE ONLY atc.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.counters
    ADD CONSTRAINT counters_pkey PRIMARY KEY (name, trading_day);

ALTER TABLE ONLY atc.entry_admissions
    ADD CONSTRAINT entry_admissions_pkey PRIMARY KEY (proposal_id, step_seq);

ALTER TABLE ONLY atc.event_cursors
    ADD CONSTRAINT event_cursors_pkey PRIMARY KEY (name);

ALTER TABLE ONLY atc.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.fills
    ADD CONSTRAINT fills_market_venue_fill_id_key UNIQUE (market, venue_fill_id);

ALTER TABLE ONLY atc.fills
    ADD CONSTRAINT fills_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.heartbeat_lease
    ADD CONSTRAINT heartbeat_lease_pkey PRIMARY KEY (name);

ALTER TABLE ONLY atc.heartbeat_runs
    ADD CONSTRAINT heartbeat_runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.llm_budget_alerts
    ADD CONSTRAINT llm_budget_alerts_pkey PRIMARY KEY (day, agent, threshold);

ALTER TABLE ONLY atc.llm_usage
    ADD CONSTRAINT llm_usage_pkey PRIMARY KEY (day, agent, model);

ALTER TABLE ONLY atc.memories
    ADD CONSTRAINT memories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.missions
    ADD CONSTRAINT missions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.missions
    ADD CONSTRAINT missions_proposal_id_key UNIQUE (proposal_id);

ALTER TABLE ONLY atc.orders
    ADD CONSTRAINT orders_client_order_id_key UNIQUE (client_order_id);

ALTER TABLE ONLY atc.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.orders
    ADD CONSTRAINT orders_step_id_attempt_key UNIQUE (step_id, attempt);

ALTER TABLE ONLY atc.outcomes
    ADD CONSTRAINT outcomes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.outcomes
    ADD CONSTRAINT outcomes_position_id_key UNIQUE (position_id);

ALTER TABLE ONLY atc.policies
    ADD CONSTRAINT policies_pkey PRIMARY KEY (key);

ALTER TABLE ONLY atc.positions
    ADD CONSTRAINT positions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.price_samples
    ADD CONSTRAINT price_samples_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.proposals
    ADD CONSTRAINT proposals_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.proposals
    ADD CONSTRAINT proposals_source_trace_id_key UNIQUE (source_trace_id);

ALTER TABLE ONLY atc.reaction_cooldowns
    ADD CONSTRAINT reaction_cooldowns_pkey PRIMARY KEY (key);

ALTER TABLE ONLY atc.reactions
    ADD CONSTRAINT reactions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.relationships
    ADD CONSTRAINT relationships_pkey PRIMARY KEY (agent_a, agent_b);

ALTER TABLE ONLY atc.schema_functions
    ADD CONSTRAINT schema_functions_pkey PRIMARY KEY (name);

ALTER TABLE ONLY atc.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.steps
    ADD CONSTRAINT steps_mission_id_seq_key UNIQUE (mission_id, seq);

ALTER TABLE ONLY atc.steps
    ADD CONSTRAINT steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.stream_tickets
    ADD CONSTRAINT stream_tickets_pkey PRIMARY KEY (ticket_hash);

ALTER TABLE ONLY atc.swap_signatures
    ADD CONSTRAINT swap_signatures_pkey PRIMARY KEY (client_order_id);

ALTER TABLE ONLY atc.swap_signatures
    ADD CONSTRAINT swap_signatures_signature_key UNIQUE (signature);

ALTER TABLE ONLY atc.trigger_rules
    ADD CONSTRAINT trigger_rules_name_key UNIQUE (name);

ALTER TABLE ONLY atc.trigger_rules
    ADD CONSTRAINT trigger_rules_pkey PRIMARY KEY (id);

ALTER TABLE ONLY atc.venue_health
    ADD CONSTRAINT venue_health_pkey PRIMARY KEY (venue, reporter);

CREATE INDEX conversations_status_scheduled_for_idx ON atc.conversations USING btree (status, scheduled_for);

CREATE UNIQUE INDEX conversations_step_id_key ON atc.conversations USING btree (step_id) WHERE (step_id IS NOT NULL);

CREATE INDEX events_type_id_idx ON atc.events USING btree (type, id);

CREATE INDEX fills_filled_at_idx ON atc.fills USING btree (filled_at);

CREATE INDEX fills_order_id_idx ON atc.fills USING btree (order_id);

CREATE INDEX fills_position_id_idx ON atc.fills USING btree (position_id, filled_at);

CREATE INDEX heartbeat_runs_started_at_idx ON atc.heartbeat_runs USING btree (started_at DESC);

CREATE UNIQUE INDEX memories_agent_source_trace_id_idx ON atc.memories USING btree (agent, source_trace_id) WHERE (source_trace_id IS NOT NULL);

CREATE INDEX memories_agent_type_confidence_idx ON atc.memories USING btree (agent, type, confidence DESC);

CREATE INDEX memories_unpromoted_idx ON atc.memories USING btree (confidence DESC) WHERE (NOT promoted);

CREATE INDEX missions_status_created_at_idx ON atc.missions USING btree (status, created_at DESC);

CREATE INDEX orders_created_at_idx ON atc.orders USING btree (created_at);

CREATE INDEX orders_unsettled_idx ON atc.orders USING btree (market, created_at) WHERE (status = ANY (ARRAY['intent'::text, 'submitted'::text, 'accepted'::text, 'partially_filled'::text, 'unknown'::text]));

CREATE INDEX outcomes_closed_at_idx ON atc.outcomes USING btree (closed_at DESC);

CREATE INDEX outcomes_market_closed_at_idx ON atc.outcomes USING btree (market, closed_at DESC);

CREATE INDEX outcomes_unlearned_idx ON atc.outcomes USING btree (closed_at) WHERE (learned_at IS NULL);

CREATE INDEX positions_open_marked_at_idx ON atc.positions USING btree (marked_at NULLS FIRST) WHERE (status = 'open'::text);

CREATE UNIQUE INDEX positions_open_market_symbol_idx ON atc.positions USING btree (market, symbol) WHERE (status = 'open'::text);

CREATE UNIQUE INDEX price_samples_instrument_sampled_at_idx ON atc.price_samples USING btree (market, instrument, sampled_at DESC);

CREATE INDEX price_samples_sampled_at_idx ON atc.price_samples USING btree (sampled_at);

CREATE INDEX proposals_awaiting_expires_at_idx ON atc.proposals USING btree (expires_at) WHERE (status = 'awaiting_approval'::text);

CREATE INDEX proposals_status_created_at_idx ON atc.proposals USING btree (status, created_at DESC);

CREATE INDEX reactions_status_created_at_idx ON atc.reactions USING btree (status, created_at);

CREATE INDEX steps_claim_idx ON atc.steps USING btree (market, priority, run_after) WHERE ((status)::text = 'queued'::text);

CREATE INDEX steps_failed_finished_at_idx ON atc.steps USING btree (finished_at) WHERE ((status)::text = ANY (ARRAY['failed'::text, 'dead'::text]));

CREATE INDEX steps_unfinished_idx ON atc.steps USING btree (lease_expires_at) WHERE ((status)::text = ANY (ARRAY['queued'::text, 'running'::text, 'executing'::text, 'needs_reconciliation'::text]));

CREATE INDEX stream_tickets_expires_at_idx ON atc.stream_tickets USING btree (expires_at);

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON atc.audit_log FOR EACH ROW EXECUTE FUNCTION atc.audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON atc.audit_log FOR EACH STATEMENT EXECUTE FUNCTION atc.audit_log_refuse_change();

CREATE TRIGGER steps_notify_queued AFTER INSERT OR UPDATE OF status ON atc.steps FOR EACH ROW WHEN ((((new.status)::text = 'queued'::text) AND (new.market IS NOT NULL))) EXECUTE FUNCTION atc.notify_step_queued();

ALTER TABLE ONLY atc.conversation_turns
    ADD CONSTRAINT conversation_turns_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES atc.conversations(id) ON DELETE CASCADE;

ALTER TABLE ONLY atc.conversation_votes
    ADD CONSTRAINT conversation_votes_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES atc.conversations(id) ON DELETE CASCADE;

ALTER TABLE ONLY atc.conversations
    ADD CONSTRAINT conversations_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES atc.proposals(id);

ALTER TABLE ONLY atc.conversations
    ADD CONSTRAINT conversations_step_id_fkey FOREIGN KEY (step_id) REFERENCES atc.steps(id);

ALTER TABLE ONLY atc.entry_admissions
    ADD CONSTRAINT entry_admissions_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES atc.proposals(id);

ALTER TABLE ONLY atc.fills
    ADD CONSTRAINT fills_order_id_fkey FOREIGN KEY (order_id) REFERENCES atc.orders(id);

ALTER TABLE ONLY atc.fills
    ADD CONSTRAINT fills_position_id_fkey FOREIGN KEY (position_id) REFERENCES atc.positions(id);

ALTER TABLE ONLY atc.missions
    ADD CONSTRAINT missions_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES atc.proposals(id);

ALTER TABLE ONLY atc.orders
    ADD CONSTRAINT orders_step_id_fkey FOREIGN KEY (step_id) REFERENCES atc.steps(id);

ALTER TABLE ONLY atc.outcomes
    ADD CONSTRAINT outcomes_position_id_fkey FOREIGN KEY (position_id) REFERENCES atc.positions(id);

ALTER TABLE ONLY atc.reactions
    ADD CONSTRAINT reactions_event_id_fkey FOREIGN KEY (event_id) REFERENCES atc.events(id);

ALTER TABLE ONLY atc.reactions
    ADD CONSTRAINT reactions_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES atc.proposals(id);

ALTER TABLE ONLY atc.steps
    ADD CONSTRAINT steps_mission_id_fkey FOREIGN KEY (mission_id) REFERENCES atc.missions(id);

ALTER TABLE ONLY atc.swap_signatures
    ADD CONSTRAINT swap_signatures_client_order_id_fkey FOREIGN KEY (client_order_id) REFERENCES atc.orders(client_order_id);
