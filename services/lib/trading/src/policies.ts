import type { Pool } from '@atc/platform';
import { InputError, NotFoundError, withTransaction, type Queryable } from '@atc/platform';
import {
  ApprovalPolicy,
  CalendarPolicy,
  HaltsState,
  PolicyKey,
  PricingPolicy,
  QuotasPolicy,
  RiskControlsPolicy,
  TradeLimitsPolicy,
  policyKeys,
  policySchemas,
  settablePolicyKeys,
  type SettablePolicyKey,
} from '@atc/contracts';
import type { z } from 'zod';
import { appendAudit } from './audit-log';
import { appendEvent } from './events.queries';
import { selectPolicies, selectPolicy, upsertPolicy, type PolicyRow } from './policies.queries';
import { parseOrThrow, zodIssues } from './validation';

/** The policies the gates and routing read, validated, with the version they add up to. */
export interface PolicySnapshot {
  readonly version: number;
  readonly calendar: z.infer<typeof CalendarPolicy>;
  readonly tradeLimits: z.infer<typeof TradeLimitsPolicy>;
  readonly riskControls: z.infer<typeof RiskControlsPolicy>;
  readonly quotas: z.infer<typeof QuotasPolicy>;
  readonly approval: z.infer<typeof ApprovalPolicy>;
  readonly pricing: z.infer<typeof PricingPolicy>;
  /** The halt state as of this read (the gates' view; workers lock it separately). */
  readonly halts: HaltsState;
}

function required<T>(rows: Map<string, PolicyRow>, key: PolicyKey, schema: z.ZodType<T>): T {
  const row = rows.get(key);
  // A missing or corrupt policy must stop decisions (the gates fail closed), never default silently.
  if (!row) throw new Error(`policy "${key}" is not set; run \`atc seed\``);
  const parsed = schema.safeParse(row.value);
  if (!parsed.success)
    throw new Error(`stored policy "${key}" is invalid: ${zodIssues(parsed.error).join('; ')}`);
  return parsed.data;
}

export async function readPolicySnapshot(db: Queryable): Promise<PolicySnapshot> {
  const rows = await selectPolicies(db);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return {
    version: Math.max(0, ...rows.map((row) => row.version)),
    calendar: required(byKey, 'calendar', CalendarPolicy),
    tradeLimits: required(byKey, 'trade_limits', TradeLimitsPolicy),
    riskControls: required(byKey, 'risk_controls', RiskControlsPolicy),
    quotas: required(byKey, 'quotas', QuotasPolicy),
    approval: required(byKey, 'approval', ApprovalPolicy),
    pricing: required(byKey, 'pricing', PricingPolicy),
    halts: required(byKey, 'halts', HaltsState),
  };
}

export async function getPolicy(db: Queryable, key: string): Promise<PolicyRow> {
  const parsedKey = PolicyKey.safeParse(key);
  if (!parsedKey.success) {
    throw new InputError(`unknown policy key ${JSON.stringify(key)}; valid keys: ${policyKeys.join(', ')}`, {
      details: { key, validKeys: policyKeys },
    });
  }
  const row = await selectPolicy(db, parsedKey.data);
  if (!row) throw new NotFoundError(`policy "${key}" is not set`);
  return row;
}

export function isSettablePolicyKey(key: string): key is SettablePolicyKey {
  return Object.prototype.hasOwnProperty.call(policySchemas, key);
}

/**
 * The only way a policy changes: validated by its zod schema (an invalid value is refused with
 * field-level messages), versioned, evented and audited in one transaction. `halts` is refused here:
 * only the kill switch changes it.
 */
export async function setPolicy(
  pool: Pool,
  request: { key: string; value: unknown; by: string },
): Promise<PolicyRow> {
  if (!isSettablePolicyKey(request.key)) {
    throw new InputError(
      request.key === 'halts'
        ? 'policy "halts" is changed only through the kill switch'
        : `unknown policy key ${JSON.stringify(request.key)}; valid keys: ${settablePolicyKeys.join(', ')}`,
      { details: { key: request.key, validKeys: settablePolicyKeys } },
    );
  }
  const key = request.key;
  const schema: z.ZodType = policySchemas[key];
  const value = parseOrThrow(schema, request.value, `policy "${key}"`);
  return withTransaction(pool, async (client) => {
    const row = await upsertPolicy(client, key, value, request.by);
    await appendEvent(client, {
      type: 'policy_changed',
      aggregateType: 'policy',
      aggregateId: key,
      payload: { key, version: row.version, by: request.by },
    });
    await appendAudit(client, {
      actor: request.by,
      action: 'policy.set',
      subjectType: 'policy',
      subjectId: key,
      details: { version: row.version, value },
    });
    return row;
  });
}
