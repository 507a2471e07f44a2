/**
 * A desk's worth of trading through the real domain functions, for the backup and recovery tests:
 * each round trip submits a proposal (auto-approved: a mission and its step), records the buy's order
 * intent, the venue's acceptance and its fill (a position opens), then a sell that closes it (an
 * outcome). Every write goes through the same queries the workers use, so the rows, the events and
 * the audit chain are the real ones.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { withTransaction, type Pool } from '@atc/platform';
import { applyFill, recordOrderIntent, setOrderStatus } from '../ledger';
import { submitProposal } from '../proposal-intake';
import { tradeProposal } from './proposal.fixtures';
import { SOL_MINT } from './test-prices';

export interface RoundTrip {
  readonly proposalId: string;
  readonly stepId: string;
  readonly clientOrderIds: readonly string[];
}

async function fillOrder(pool: Pool, stepId: string, attempt: number, side: 'buy' | 'sell'): Promise<string> {
  return withTransaction(pool, async (client) => {
    const order = await recordOrderIntent(client, {
      stepId,
      attempt,
      market: 'crypto',
      symbol: SOL_MINT,
      side,
      orderType: 'market',
      quantity: '0.1',
      multiplier: '1',
      actor: 'worker:crypto',
    });
    await setOrderStatus(client, {
      clientOrderId: order.clientOrderId,
      status: 'accepted',
      venueOrderId: `venue-${randomUUID()}`,
      actor: 'worker:crypto',
    });
    await applyFill(client, {
      clientOrderId: order.clientOrderId,
      venueFillId: `fill-${randomUUID()}`,
      quantity: '0.1',
      price: side === 'buy' ? '150' : '151',
      filledAt: new Date(),
      actor: 'worker:crypto',
    });
    return order.clientOrderId;
  });
}

/**
 * One trade opened and closed. Needs the seeds and fresh marks (`applySeeds`, `insertTestMarks`);
 * each round trip closes its position and finishes its step, so any number of them stays inside the limits.
 */
export async function tradeRoundTrip(pool: Pool, asOf: Date = new Date()): Promise<RoundTrip> {
  const decision = await submitProposal(pool, tradeProposal({ notionalUsd: '15' }), { asOf });
  if (decision.status !== 'approved' || !decision.missionId) {
    throw new Error(
      `the round trip's proposal was not auto-approved: ${decision.status} ${decision.reasonCode}`,
    );
  }
  const { rows } = await pool.query<{ id: string }>(
    'select id from atc.steps where mission_id = $1::uuid order by seq limit 1',
    [decision.missionId],
  );
  const stepId = rows[0]!.id;
  const buy = await fillOrder(pool, stepId, 1, 'buy');
  const sell = await fillOrder(pool, stepId, 2, 'sell');
  // The step and its mission finish (as the worker's completion would), so the entry stops counting
  // against the open-position limit and the next round trip is admitted too.
  await pool.query(
    `with step as (update atc.steps set status = 'succeeded', finished_at = now() where id = $1::uuid returning mission_id)
     update atc.missions set status = 'succeeded', finished_at = now() where id = (select mission_id from step)`,
    [stepId],
  );
  return { proposalId: decision.proposalId, stepId, clientOrderIds: [buy, sell] };
}
