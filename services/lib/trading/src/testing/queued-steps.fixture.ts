/**
 * Test data for queue tests: an approved proposal, its mission, and `count` queued steps. It writes
 * rows directly (no gates, no events): queue tests exercise claiming, not intake. Each execute_trade
 * step gets the admission the gates would have recorded, priced from its `referencePrice` (the traded
 * instrument) and `TEST_PRICES` (the test's USDC).
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@atc/platform';
import { ExecuteTradeStep, type Market, type StepKind } from '@atc/contracts';
import { freshPrices, priceEntry, priceKeysOf, type PriceQuote } from '../entry-pricing';
import { insertEntryAdmissions } from '../entry-pricing.queries';
import { defaultPolicies } from '../seed-data';
import { TEST_PRICES } from './test-prices';

export interface QueuedStepsFixture {
  readonly missionId: string;
  readonly stepIds: string[];
}

export async function insertQueuedSteps(
  db: Queryable,
  options: {
    market: Market;
    count: number;
    kind?: StepKind;
    maxAttempts?: number;
    payload?: (index: number) => unknown;
  },
): Promise<QueuedStepsFixture> {
  const proposal = await db.query<{ id: string }>(
    `insert into atc.proposals (source, source_trace_id, agent, title, confidence, content, content_hash, status)
     values ('operator', $1::text, 'atlas', 'queue fixture', 0.9, '{}'::jsonb, repeat('0', 64), 'approved')
     returning id`,
    [`fixture-${randomUUID()}`],
  );
  const mission = await db.query<{ id: string }>(
    `insert into atc.missions (proposal_id, title) values ($1::uuid, 'queue fixture') returning id`,
    [proposal.rows[0]!.id],
  );
  const missionId = mission.rows[0]!.id;
  const payloads = Array.from({ length: options.count }, (_, i) =>
    JSON.stringify(options.payload?.(i) ?? { index: i }),
  );
  const steps = await db.query<{ id: string }>(
    `insert into atc.steps (mission_id, seq, kind, market, max_attempts, payload)
     select $1::uuid, ordinality - 1, $2::text, $3::text, $4::int, payload::jsonb
       from unnest($5::text[]) with ordinality as p(payload, ordinality)
     returning id`,
    [missionId, options.kind ?? 'execute_trade', options.market, options.maxAttempts ?? 3, payloads],
  );
  await admitEntries(db, proposal.rows[0]!.id, options.payload, options.count);
  return { missionId, stepIds: steps.rows.map((r) => r.id) };
}

async function admitEntries(
  db: Queryable,
  proposalId: string,
  payload: ((index: number) => unknown) | undefined,
  count: number,
): Promise<void> {
  const at = new Date();
  const admitted = [];
  for (let seq = 0; seq < count; seq++) {
    const parsed = ExecuteTradeStep.safeParse(payload?.(seq));
    if (!parsed.success) continue;
    const trade = parsed.data.trade;
    const quotes: PriceQuote[] = priceKeysOf(trade).flatMap((key) => {
      const price = TEST_PRICES[key.instrument] ?? trade.referencePrice;
      return price ? [{ ...key, price, source: 'mark' as const, at }] : [];
    });
    const priced = priceEntry(
      trade,
      freshPrices(quotes, defaultPolicies.pricing, at),
      defaultPolicies.pricing,
    );
    if ('notionalUsd' in priced) admitted.push({ seq, entry: priced });
  }
  await insertEntryAdmissions(db, proposalId, admitted);
}
