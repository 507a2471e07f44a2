import type { Queryable } from '@atc/platform';
import { policySchemas, type PolicyValue } from '@atc/contracts';
import type { z } from 'zod';
import { selectPolicy, zodIssues } from '@atc/trading';

type HeartbeatPolicyKey = 'signal_scan' | 'position_management' | 'reaction_matrix' | 'roundtable';

/**
 * A policy the phases read, validated. Missing or invalid stops the phase with a message that says
 * what to do: a phase never trades on a silent default.
 */
export async function readPhasePolicy<K extends HeartbeatPolicyKey>(
  db: Queryable,
  key: K,
): Promise<PolicyValue<K>> {
  const row = await selectPolicy(db, key);
  if (!row) throw new Error(`policy "${key}" is not set; run \`atc seed\``);
  const schema: z.ZodType = policySchemas[key];
  const parsed = schema.safeParse(row.value);
  if (!parsed.success) {
    throw new Error(`stored policy "${key}" is invalid: ${zodIssues(parsed.error).join('; ')}`);
  }
  return parsed.data as PolicyValue<K>;
}
