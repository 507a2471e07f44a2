import { queryOne, type Queryable } from '@atc/platform';
import { runPrepared } from './prepared';
import type { CounterName } from '@atc/contracts';

/**
 * Takes `count` slots of a daily counter if, and only if, the total stays within `limit`: one
 * conditional UPDATE, no check-then-act. Concurrent claimers queue on the row lock and each
 * re-evaluates the condition against the value the previous one committed. A plain UPDATE (rather
 * than INSERT … ON CONFLICT DO UPDATE … WHERE) matters under load: a claimer whose condition fails
 * does not keep the row locked, so once the day is full every further claim returns at once.
 */
export async function claimSlots(
  db: Queryable,
  claim: { name: CounterName; tradingDay: string; count: number; limit: number },
): Promise<{ granted: boolean; value: number | null }> {
  // The day's row must exist for the UPDATE to find it; creating it takes no lock on conflict.
  await runPrepared(
    db,
    'ensure_counter',
    `insert into atc.counters (name, trading_day, value) values ($1::text, $2::date, 0)
     on conflict (name, trading_day) do nothing`,
    [claim.name, claim.tradingDay],
  );
  const [row] = await runPrepared<{ value: number }>(
    db,
    'claim_slots',
    `update atc.counters set value = value + $3::int, updated_at = now()
      where name = $1::text and trading_day = $2::date and value + $3::int <= $4::int
      returning value`,
    [claim.name, claim.tradingDay, claim.count, claim.limit],
  );
  return { granted: row !== undefined, value: row?.value ?? null };
}

/** Gives slots back; never below zero (the CHECK would refuse it, and a double release is a bug). */
export async function releaseSlots(
  db: Queryable,
  release: { name: CounterName; tradingDay: string; count: number },
): Promise<void> {
  if (release.count <= 0) return;
  await db.query(
    `update atc.counters set value = greatest(value - $3::int, 0), updated_at = now()
      where name = $1::text and trading_day = $2::date`,
    [release.name, release.tradingDay, release.count],
  );
}

export async function readCounter(db: Queryable, name: CounterName, tradingDay: string): Promise<number> {
  const row = await queryOne<{ value: number }>(
    db,
    'select value from atc.counters where name = $1::text and trading_day = $2::date',
    [name, tradingDay],
  );
  return row?.value ?? 0;
}

/** The calendar date at `asOf` (default: the server's now) in the policy's time zone. */
export async function tradingDayAt(db: Queryable, timeZone: string, asOf: Date | null): Promise<string> {
  const row = await queryOne<{ day: string }>(
    db,
    `select (coalesce($1::timestamptz, now()) at time zone $2::text)::date::text as day`,
    [asOf, timeZone],
  );
  return row!.day;
}
