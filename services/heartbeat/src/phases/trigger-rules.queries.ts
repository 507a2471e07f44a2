import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, StepKind } from '@atc/contracts';

export interface TriggerRuleAction {
  readonly targetAgent: Agent;
  readonly stepKind: StepKind;
  readonly titleTemplate: string;
  readonly payload: Record<string, unknown>;
}

export interface TriggerRuleRow {
  readonly id: string;
  readonly name: string;
  readonly kind: 'reactive' | 'proactive';
  readonly triggerEvent: string | null;
  readonly intervalMinutes: number | null;
  readonly conditions: Record<string, unknown>;
  readonly action: TriggerRuleAction;
  readonly cooldownMinutes: number;
  readonly fireCount: number;
  readonly lastFiredAt: Date | null;
}

/** Enabled rules, by name (the table holds tens of rows). */
export async function selectEnabledRules(db: Queryable): Promise<TriggerRuleRow[]> {
  return queryRows<TriggerRuleRow>(
    db,
    `select id, name, kind, trigger_event as "triggerEvent", interval_minutes as "intervalMinutes",
            conditions, action, cooldown_minutes as "cooldownMinutes", fire_count as "fireCount",
            last_fired_at as "lastFiredAt"
       from atc.trigger_rules
      where enabled
      order by name`,
  );
}

/**
 * Records one fire if the rule is still off cooldown as of `now`: a conditional update, so two runs
 * racing for the same rule fire it once (the second waits on the row lock, then re-checks the
 * condition against the committed row and updates nothing). Returns the new fire count.
 */
export async function claimRuleFire(
  db: Queryable,
  claim: { ruleId: string; now: Date; gapMinutes: number },
): Promise<number | undefined> {
  const row = await queryOne<{ fireCount: number }>(
    db,
    `update atc.trigger_rules
        set fire_count = fire_count + 1, last_fired_at = $2::timestamptz, updated_at = now()
      where id = $1::uuid and enabled
        and (last_fired_at is null
             or last_fired_at <= $2::timestamptz - make_interval(secs => $3::double precision * 60))
  returning fire_count as "fireCount"`,
    [claim.ruleId, claim.now, claim.gapMinutes],
  );
  return row?.fireCount;
}
