import { queryOne, type Queryable } from '@atc/platform';
import type { CounterName } from '@atc/contracts';

/**
 * Takes `count` slots of a daily counter if, and only if, the total stays within `limit`: one
 * conditional upsert, no check-then-act. The conflicting row is locked until the transaction ends,
 * so concurrent claimers queue on it and each sees the value the previous one committed.
 */
export async function claimSlots(
  db: Queryable,
  claim: { name: CounterName; tradingDay: string; count: number; limit: number },
): Promise<{ granted: boolean; value: number | null }> {
  const row = await queryOne<{ value: number }>(
    db,
    `insert into atc.counters (name, trading_day, value)
     select $1::text, $2::date, $3::int
      where $3::int <= $4::int
     on conflict (name, trading_day) do update
       set value = counters.value + excluded.value, updated_at = now()
       where counters.value + excluded.value <= $4::int
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
