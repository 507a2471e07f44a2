import { queryRows, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

export interface NewPriceSample {
  readonly market: Market;
  readonly instrument: string;
  readonly last: string;
  readonly volume: string | null;
}

/** One statement for the whole universe; a second sample at the same instant is ignored. */
export async function insertPriceSamples(
  db: Queryable,
  samples: readonly NewPriceSample[],
  sampledAt: Date,
): Promise<number> {
  if (samples.length === 0) return 0;
  const result = await db.query(
    `insert into atc.price_samples (market, instrument, last, volume, sampled_at)
     select s.market, s.instrument, s.last, s.volume, $5::timestamptz
       from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[]) as s(market, instrument, last, volume)
     on conflict (market, instrument, sampled_at) do nothing`,
    [
      samples.map((s) => s.market),
      samples.map((s) => s.instrument),
      samples.map((s) => s.last),
      samples.map((s) => s.volume),
      sampledAt,
    ],
  );
  return result.rowCount ?? 0;
}

export interface StoredSample {
  readonly market: Market;
  readonly instrument: string;
  readonly last: string;
  readonly volume: string | null;
}

/**
 * The latest `perInstrument` samples of each instrument, oldest first within each; one index range
 * per instrument (the lateral join walks price_samples_instrument_sampled_at_idx backwards).
 */
export async function selectRecentSamples(
  db: Queryable,
  keys: readonly { market: Market; instrument: string }[],
  perInstrument: number,
  asOf: Date,
): Promise<StoredSample[]> {
  if (keys.length === 0) return [];
  return queryRows<StoredSample>(
    db,
    `select k.market, k.instrument, s.last::text as last, s.volume::text as volume
       from unnest($1::text[], $2::text[]) as k(market, instrument)
      cross join lateral (
        select last, volume, sampled_at from atc.price_samples p
         where p.market = k.market and p.instrument = k.instrument and p.sampled_at <= $4::timestamptz
         order by p.sampled_at desc
         limit $3::int) s
      order by k.market, k.instrument, s.sampled_at`,
    [keys.map((k) => k.market), keys.map((k) => k.instrument), perInstrument, asOf],
  );
}

/** Deletes samples older than `before`, a bounded batch per run. */
export async function pruneSamples(db: Queryable, before: Date, limit: number): Promise<number> {
  const result = await db.query(
    `delete from atc.price_samples
      where id in (select id from atc.price_samples where sampled_at < $1::timestamptz limit $2::int)`,
    [before, limit],
  );
  return result.rowCount ?? 0;
}
