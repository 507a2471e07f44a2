import { randomUUID } from 'node:crypto';
import type { Pool } from '@atc/platform';
import type { PolicyValue, ProposalInput, SettablePolicyKey } from '@atc/contracts';
import { setPolicy } from '../policies';
import { defaultPolicies } from '../seed-data';

import { SOL_MINT, USDC_MINT } from './test-prices';

export { insertTestMarks, SOL_MINT, USDC_MINT } from './test-prices';

/**
 * A crypto entry that passes the default gates (and is small enough to auto-approve) when the
 * default test marks are fresh (`insertTestMarks`): `notionalUsd` USDC spent on SOL, declared as such.
 */
export function tradeProposal(
  overrides: Partial<ProposalInput> & { notionalUsd?: string } = {},
): ProposalInput {
  const { notionalUsd = '30', ...rest } = overrides;
  return {
    source: 'agent',
    sourceTraceId: `test-${randomUUID()}`,
    agent: 'intel',
    title: 'Buy SOL on momentum',
    confidence: 0.8,
    steps: [
      {
        kind: 'execute_trade',
        market: 'crypto',
        trade: {
          market: 'crypto',
          inputMint: USDC_MINT,
          outputMint: SOL_MINT,
          side: 'buy',
          amount: notionalUsd,
          notionalUsd,
          stopLoss: '120',
        },
      },
    ],
    ...rest,
  };
}

export function analysisProposal(overrides: Partial<ProposalInput> = {}): ProposalInput {
  return {
    source: 'trigger',
    sourceTraceId: `test-${randomUUID()}`,
    agent: 'growth',
    title: 'Review the last trade',
    confidence: 0.7,
    steps: [{ kind: 'analyze', topic: 'trade review' }],
    ...overrides,
  };
}

/** Sets one policy to the default merged with `changes`. */
export async function tunePolicy<K extends SettablePolicyKey>(
  pool: Pool,
  key: K,
  changes: Partial<PolicyValue<K>>,
): Promise<void> {
  const base = defaultPolicies[key] as object;
  await setPolicy(pool, { key, value: { ...base, ...changes }, by: 'test' });
}

/** Row counts of every table a decision writes to: a replay must leave them all unchanged. */
export async function tableCounts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ name: string; count: number }>(
    `select 'proposals' as name, count(*)::int as count from atc.proposals
     union all select 'missions', count(*)::int from atc.missions
     union all select 'steps', count(*)::int from atc.steps
     union all select 'events', count(*)::int from atc.events
     union all select 'audit_log', count(*)::int from atc.audit_log
     union all select 'counters', coalesce(sum(value), 0)::int from atc.counters`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.count]));
}
