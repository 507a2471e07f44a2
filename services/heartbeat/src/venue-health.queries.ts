import type { Queryable } from '@atc/platform';

export type BreakerStateName = 'closed' | 'half_open' | 'open';

/** Upserts the breaker state of each venue as one reporter (a role) sees it; one statement for all. */
export async function reportVenueHealth(
  db: Queryable,
  report: { reporter: string; states: Readonly<Record<string, BreakerStateName>> },
): Promise<void> {
  const entries = Object.entries(report.states);
  if (entries.length === 0) return;
  await db.query(
    `insert into atc.venue_health (venue, reporter, breaker_state, reported_at)
     select venue, $1::text, state, now()
       from unnest($2::text[], $3::text[]) as t(venue, state)
     on conflict (venue, reporter) do update
        set breaker_state = excluded.breaker_state,
            reported_at = excluded.reported_at`,
    [report.reporter, entries.map(([venue]) => venue), entries.map(([, state]) => state)],
  );
}
