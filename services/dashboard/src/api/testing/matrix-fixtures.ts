/**
 * Resources the authorization-matrix test needs so every allowed call can succeed: rows to read by id
 * (a mission, an order, a conversation) and, for the writes that consume one, a fresh resource per
 * call (a proposal awaiting approval, a step needing reconciliation, a live API key, an engaged kill
 * switch, a tripped loss latch). Written through the domain functions where there is one, else the way
 * the routes' own integration tests write them.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@atc/contracts';
import type { Pool } from '@atc/platform';
import { createApiKey, engageKillSwitch, submitProposal } from '@atc/trading';
import { insertQueuedSteps, tradeProposal, tripLossLatch } from '@atc/trading/testing';

/** A proposal the gates leave awaiting an operator (50 USD is above the 40 USD auto-approval limit). */
export async function awaitingProposal(pool: Pool, asOf: Date): Promise<{ id: string; contentHash: string }> {
  const decision = await submitProposal(pool, tradeProposal({ notionalUsd: '50' }), { asOf });
  if (decision.status !== 'awaiting_approval') {
    throw new Error(
      `fixture: proposal ${decision.proposalId} is ${decision.status} (${JSON.stringify(decision)}), not awaiting_approval`,
    );
  }
  const { rows } = await pool.query<{ content_hash: string }>(
    `select content_hash from atc.proposals where id = $1`,
    [decision.proposalId],
  );
  return { id: decision.proposalId, contentHash: rows[0]!.content_hash };
}

/** A crypto trade step parked in needs_reconciliation with its order intent (as control.routes.int.test.ts). */
export async function stepNeedingReconciliation(
  pool: Pool,
): Promise<{ stepId: string; missionId: string; clientOrderId: string }> {
  const { missionId, stepIds } = await insertQueuedSteps(pool, { market: 'crypto', count: 1 });
  const stepId = stepIds[0]!;
  const clientOrderId = `coid-${stepId}`;
  await pool.query(
    `update atc.steps set status = 'needs_reconciliation', attempt = 1, last_error = 'venue timed out',
            updated_at = clock_timestamp() where id = $1`,
    [stepId],
  );
  await pool.query(
    `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status)
     values ($1, 1, $2, 'crypto', 'SOL', 'buy', 'market', 2.5, 'unknown')`,
    [stepId, clientOrderId],
  );
  return { stepId, missionId, clientOrderId };
}

/** A finished roundtable conversation (as activity.routes.int.test.ts). */
export async function insertConversation(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into atc.conversations (format, topic, participants, status, transcript, outcome, finished_at)
     values ('debate', 'matrix', '{atlas,sage}', 'succeeded',
             '[{"turn":1,"agent":"atlas","stance":"support","line":"go"}]',
             '{"consensus":"undecided","summary":"split"}', now())
     returning id`,
  );
  return rows[0]!.id;
}

/** A live API key with a fresh name, to be revoked. */
export async function liveKeyName(pool: Pool, clock: Clock): Promise<string> {
  const name = `matrix-${randomUUID()}`;
  await createApiKey(pool, { name, role: 'viewer', actor: 'matrix-test' }, clock);
  return name;
}

export async function engagedKillSwitch(pool: Pool, clock: Clock): Promise<void> {
  await engageKillSwitch(pool, { reason: 'matrix test', by: 'matrix-test', clock });
}

export async function trippedLossLatch(pool: Pool, asOf: Date): Promise<void> {
  await tripLossLatch(pool, {
    trippedAt: asOf.toISOString(),
    tradingDay: asOf.toISOString().slice(0, 10),
    realisedPnlUsd: '-500',
  });
}
