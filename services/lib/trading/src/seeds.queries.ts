import type { Queryable } from '@atc/platform';
import type { TriggerRuleSeed } from './seed-data';

/** Pairs are stored once, alphabetically (the table's CHECK agent_a < agent_b). */
export async function insertRelationshipsIfMissing(
  db: Queryable,
  pairs: readonly { agentA: string; agentB: string; affinity: string }[],
): Promise<number> {
  const result = await db.query(
    `insert into atc.relationships (agent_a, agent_b, affinity)
     select p."agentA", p."agentB", p.affinity
       from jsonb_to_recordset($1::jsonb) as p("agentA" text, "agentB" text, affinity numeric)
     on conflict (agent_a, agent_b) do nothing`,
    [JSON.stringify(pairs)],
  );
  return result.rowCount ?? 0;
}

export async function insertTriggerRulesIfMissing(
  db: Queryable,
  rules: readonly TriggerRuleSeed[],
): Promise<number> {
  const result = await db.query(
    `insert into atc.trigger_rules (name, kind, trigger_event, interval_minutes, conditions, action, cooldown_minutes)
     select r.name, r.kind, r."triggerEvent", r."intervalMinutes", r.conditions, r.action, r."cooldownMinutes"
       from jsonb_to_recordset($1::jsonb)
         as r(name text, kind text, "triggerEvent" text, "intervalMinutes" int, conditions jsonb, action jsonb,
              "cooldownMinutes" int)
     on conflict (name) do nothing`,
    [JSON.stringify(rules)],
  );
  return result.rowCount ?? 0;
}
