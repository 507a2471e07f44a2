import { withTransaction, type Pool } from '@atc/platform';
import { policySchemas, settablePolicyKeys } from '@atc/contracts';
import { insertPolicyIfMissing } from './policies.queries';
import { defaultPolicies, initialAffinities, triggerRules } from './seed-data';
import { insertRelationshipsIfMissing, insertTriggerRulesIfMissing } from './seeds.queries';

export interface SeedResult {
  readonly policies: number;
  readonly relationships: number;
  readonly triggerRules: number;
}

/**
 * Idempotent: inserts only what is missing, so an operator's policy change or a drifted affinity
 * survives `atc up`. Every default policy is validated by its schema first.
 */
export async function applySeeds(pool: Pool): Promise<SeedResult> {
  return withTransaction(pool, async (client) => {
    let policies = 0;
    for (const key of settablePolicyKeys) {
      const value: unknown = policySchemas[key].parse(defaultPolicies[key]);
      if (await insertPolicyIfMissing(client, key, value, 'seed')) policies++;
    }
    const pairs = initialAffinities.map(([a, b, affinity]) => {
      const [agentA, agentB] = a < b ? [a, b] : [b, a];
      return { agentA, agentB, affinity };
    });
    const relationships = await insertRelationshipsIfMissing(client, pairs);
    const rules = await insertTriggerRulesIfMissing(client, triggerRules);
    return { policies, relationships, triggerRules: rules };
  });
}
