import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, OutcomeType, ProposalInput } from '@atc/contracts';

export interface AwaitingTrade {
  readonly id: string;
  readonly content: ProposalInput;
  readonly contentHash: string;
}

const awaitingTrades = `select id, content, content_hash as "contentHash"
       from atc.proposals
      where status = 'awaiting_approval' -- proposals_status_created_at_idx
        and content->'steps' @> '[{"kind": "execute_trade"}]'`;

/** Awaiting trade proposals, oldest first, unlocked: the review gathers prices before it locks one. */
export async function selectAwaitingTrades(db: Queryable, limit: number): Promise<AwaitingTrade[]> {
  return queryRows<AwaitingTrade>(db, `${awaitingTrades} order by created_at limit $1::int`, [limit]);
}

/** Locks one of them for the review's transaction; skip locked: another run (or an operator) has it. */
export async function lockAwaitingTrade(db: Queryable, id: string): Promise<AwaitingTrade | undefined> {
  return queryOne<AwaitingTrade>(db, `${awaitingTrades} and id = $1::uuid for update skip locked`, [id]);
}

/** The latest `perMarket` outcomes of each market, newest first (outcomes_market_closed_at_idx). */
export async function selectRecentOutcomes(
  db: Queryable,
  markets: readonly Market[],
  perMarket: number,
): Promise<Map<string, OutcomeType[]>> {
  const rows = await queryRows<{ market: Market; outcomes: OutcomeType[] }>(
    db,
    `select m.market, array(select o.outcome_type from atc.outcomes o
                             where o.market = m.market order by o.closed_at desc limit $2::int) as outcomes
       from unnest($1::text[]) as m(market)`,
    [markets, perMarket],
  );
  return new Map(rows.map((row) => [row.market, row.outcomes]));
}

export async function insertTradeReview(
  db: Queryable,
  review: { proposalId: string; topic: string; transcript: unknown; outcome: unknown; at: Date },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.conversations (format, topic, participants, status, proposal_id, transcript, outcome,
                                    scheduled_for, started_at, finished_at)
     values ('trade_review', $1::text, array['atlas', 'sage', 'scout', 'growth', 'observer'], 'succeeded',
             $2::uuid, $3::jsonb, $4::jsonb, $5::timestamptz, $5::timestamptz, $5::timestamptz)
     returning id`,
    [
      review.topic,
      review.proposalId,
      JSON.stringify(review.transcript),
      JSON.stringify(review.outcome),
      review.at,
    ],
  );
  return row!.id;
}

export async function setReviewOutcome(
  db: Queryable,
  conversationId: string,
  outcome: unknown,
): Promise<void> {
  await db.query(`update atc.conversations set outcome = $2::jsonb where id = $1::uuid`, [
    conversationId,
    JSON.stringify(outcome),
  ]);
}
