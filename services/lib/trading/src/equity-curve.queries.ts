/**
 * The equity curve's one read beyond the daily series: the realised P&L of every fill before the
 * series starts, so the curve begins where the company stood that morning rather than at zero.
 * @module
 */
import { queryOne, type Queryable } from '@atc/platform';
import type { Market } from '@atc/contracts';

/** Sum of fills' realised P&L before `from` (a calendar day in `timeZone`), optionally of one market. */
export async function selectRealisedPnlBefore(
  db: Queryable,
  range: { readonly from: string; readonly timeZone: string; readonly market?: Market | undefined },
): Promise<string> {
  const row = await queryOne<{ realisedPnl: string }>(
    db,
    `select coalesce(sum(realised_pnl), 0)::text as "realisedPnl"
       from atc.fills
      -- the day starts at midnight in the policy's time zone, as the daily series counts it
      where filled_at < ($1::date::timestamp at time zone $2::text)
        and ($3::text is null or market = $3::text)`,
    [range.from, range.timeZone, range.market ?? null],
  );
  return row?.realisedPnl ?? '0';
}
