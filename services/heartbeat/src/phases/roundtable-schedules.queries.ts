import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Agent, ScheduledFormat } from '@atc/contracts';

/**
 * Takes a scheduled format's window: the key `roundtable:<format>:<local date>` in
 * `atc.reaction_cooldowns` (the company's table of keyed, DB-guaranteed slots). A second run racing
 * for the same window waits on this insert's primary key until the first commits, then finds the
 * row and takes nothing (`do nothing` returns no row): at most one roll per format and window, held
 * or skipped. `until` is the window's close, kept for `pruneScheduleWindows`.
 */
export async function claimScheduleWindow(
  db: Queryable,
  claim: { format: ScheduledFormat; window: string; closesAt: Date },
): Promise<boolean> {
  const row = await queryOne<{ key: string }>(
    db,
    `insert into atc.reaction_cooldowns (key, until) values ($1::text, $2::timestamptz)
     on conflict (key) do nothing
     returning key`,
    [`roundtable:${claim.format}:${claim.window}`, claim.closesAt],
  );
  return row !== undefined;
}

/**
 * Forgets window claims closed for more than two days: only today's window can be due, so an old
 * claim guards nothing (the day's margin covers a policy that moves a schedule later the same day).
 */
export async function pruneScheduleWindows(db: Queryable, now: Date): Promise<number> {
  const result = await db.query(
    `delete from atc.reaction_cooldowns
      where key like 'roundtable:%' and until < $1::timestamptz - interval '2 days'`,
    [now],
  );
  return result.rowCount ?? 0;
}

export interface AffinityPair {
  readonly agentA: Agent;
  readonly agentB: Agent;
  readonly affinity: number;
}

/** The pairs below the threshold, lowest first (ties by name, so the order is stable). */
export async function selectPairsBelow(
  db: Queryable,
  query: { threshold: number; limit: number },
): Promise<AffinityPair[]> {
  return queryRows<AffinityPair>(
    db,
    `select agent_a as "agentA", agent_b as "agentB", affinity::float8 as affinity
       from atc.relationships
      where affinity < $1::numeric
      order by affinity, agent_a, agent_b
      limit $2::int`,
    [query.threshold, query.limit],
  );
}

/**
 * Takes a pair's debate cooldown, key `debate:<agent_a>:<agent_b>`, until `until`, unless one is
 * still running at `now`: one conditional upsert, so two runs cannot both pass it (the second waits
 * on the row lock, then sees the new `until`). A skipped roll takes it too.
 */
export async function claimDebateCooldown(
  db: Queryable,
  claim: { agentA: Agent; agentB: Agent; now: Date; until: Date },
): Promise<boolean> {
  const row = await queryOne<{ key: string }>(
    db,
    `insert into atc.reaction_cooldowns (key, until) values ($1::text, $3::timestamptz)
     on conflict (key) do update set until = excluded.until
      where atc.reaction_cooldowns.until <= $2::timestamptz
     returning key`,
    [`debate:${claim.agentA}:${claim.agentB}`, claim.now, claim.until],
  );
  return row !== undefined;
}

export interface BookFigures {
  readonly openPositions: number;
  /** Up to five symbols of the open positions, most recently opened first. */
  readonly symbols: readonly string[];
  /** Sum of the stored marks' unrealised P&L (USD); positions never marked count as 0. */
  readonly unrealisedPnl: string;
  /** Realised P&L (USD) of the outcomes closed since `since`. */
  readonly realisedPnlSince: string;
}

/** What a review's topic cites: the open book and the day's realised P&L. */
export async function selectBookFigures(db: Queryable, since: Date): Promise<BookFigures> {
  const row = await queryOne<BookFigures>(
    db,
    `select (select count(*)::int from atc.positions where status = 'open') as "openPositions",
            coalesce((select array_agg(symbol) from (
                        select symbol from atc.positions where status = 'open'
                         order by opened_at desc limit 5) s), '{}') as symbols,
            (select coalesce(sum(unrealised_pnl), 0)::text from atc.positions where status = 'open')
              as "unrealisedPnl",
            (select coalesce(sum(realised_pnl), 0)::text from atc.outcomes where closed_at >= $1::timestamptz)
              as "realisedPnlSince"`,
    [since],
  );
  return row!;
}
