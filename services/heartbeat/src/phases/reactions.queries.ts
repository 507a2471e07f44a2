import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent } from '@atc/contracts';

/**
 * Takes a cooldown slot `source:target:type` until `until`, unless one is still running at `now`:
 * one conditional upsert, so two runs cannot both pass the same cooldown.
 */
export async function claimReactionCooldown(
  db: Queryable,
  claim: { key: string; now: Date; until: Date },
): Promise<boolean> {
  const row = await queryOne<{ key: string }>(
    db,
    `insert into atc.reaction_cooldowns (key, until) values ($1::text, $3::timestamptz)
     on conflict (key) do update set until = excluded.until
      where atc.reaction_cooldowns.until <= $2::timestamptz
     returning key`,
    [claim.key, claim.now, claim.until],
  );
  return row !== undefined;
}

export async function insertReaction(
  db: Queryable,
  reaction: { sourceAgent: Agent; targetAgent: Agent; reactionType: string; eventId: string },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    db,
    `insert into atc.reactions (source_agent, target_agent, reaction_type, event_id)
     values ($1::text, $2::text, $3::text, $4::bigint)
     returning id`,
    [reaction.sourceAgent, reaction.targetAgent, reaction.reactionType, reaction.eventId],
  );
  return row!.id;
}

export interface QueuedReaction {
  readonly id: string;
  readonly sourceAgent: Agent;
  readonly targetAgent: Agent;
  readonly reactionType: string;
}

/** Oldest queued reactions; skip locked so overlapping runs split them (reactions_status_created_at_idx). */
export async function claimQueuedReactions(db: Queryable, limit: number): Promise<QueuedReaction[]> {
  return queryRows<QueuedReaction>(
    db,
    `select id, source_agent as "sourceAgent", target_agent as "targetAgent", reaction_type as "reactionType"
       from atc.reactions
      where status = 'queued'
      order by created_at
      limit $1::int
      for update skip locked`,
    [limit],
  );
}

export async function finishReaction(
  db: Queryable,
  update: {
    id: string;
    status: 'processed' | 'failed';
    proposalId: string | null;
    error: string | null;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `update atc.reactions
        set status = $2::text, proposal_id = $3::uuid, last_error = $4::text, processed_at = $5::timestamptz
      where id = $1::uuid`,
    [update.id, update.status, update.proposalId, update.error, update.at],
  );
}
