import type { Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

export const SOL_MINT = 'So11111111111111111111111111111111111111112';
export const USDC_MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

/** The stable price tests give USDC; every other instrument is priced by the test itself. */
export const TEST_PRICES: Readonly<Record<string, string>> = { [USDC_MINT]: '1' };

/** The marks the default trade fixtures are priced from: USDC at 1 and SOL at 150 (crypto). */
export const DEFAULT_TEST_MARKS: Readonly<Record<string, string>> = { [USDC_MINT]: '1', [SOL_MINT]: '150' };

/** Writes one mark per instrument at `at` (the heartbeat's price samples), as the gates read them. */
export async function insertTestMarks(
  db: Queryable,
  at: Date = new Date(),
  prices: Readonly<Record<string, string>> = DEFAULT_TEST_MARKS,
  market: Market = 'crypto',
): Promise<void> {
  await db.query(
    `insert into atc.price_samples (market, instrument, last, sampled_at)
     select $1::text, p.instrument, p.last, $4::timestamptz
       from unnest($2::text[], $3::numeric[]) as p(instrument, last)
     on conflict (market, instrument, sampled_at) do update set last = excluded.last`,
    [market, Object.keys(prices), Object.values(prices), at],
  );
}
