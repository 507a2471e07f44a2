import { queryOne, queryRows, type Queryable } from '@atc/platform';
import type { Market, PriceSource } from '@atc/contracts';
import type { PriceKey, PriceQuote, PricedEntry } from './entry-pricing';
import { runPrepared } from './prepared';

/**
 * The latest mark of each instrument at or before `asOf` (the heartbeat's price samples); one index
 * range each (price_samples_instrument_sampled_at_idx walked backwards). Freshness is judged by the
 * caller against the policy.
 */
export async function selectLatestMarks(
  db: Queryable,
  keys: readonly PriceKey[],
  asOf: Date,
): Promise<PriceQuote[]> {
  if (keys.length === 0) return [];
  const rows = await runPrepared<{ market: Market; instrument: string; price: string; at: Date }>(
    db,
    'latest_marks',
    `select k.market, k.instrument, s.last::text as price, s.sampled_at as at
       from unnest($1::text[], $2::text[]) as k(market, instrument)
      cross join lateral (
        select last, sampled_at from atc.price_samples p
         where p.market = k.market and p.instrument = k.instrument and p.sampled_at <= $3::timestamptz
         order by p.sampled_at desc
         limit 1) s`,
    [keys.map((k) => k.market), keys.map((k) => k.instrument), asOf],
  );
  return rows.map((row) => ({ ...row, source: 'mark' as const }));
}

/**
 * Records what the gates admitted for each entry step (`seq` is the step's index in the proposal);
 * an approval re-runs the gates and replaces the earlier pricing.
 */
export async function insertEntryAdmissions(
  db: Queryable,
  proposalId: string,
  entries: readonly { seq: number; entry: PricedEntry }[],
): Promise<void> {
  if (entries.length === 0) return;
  await runPrepared(
    db,
    'insert_entry_admissions',
    `insert into atc.entry_admissions
       (proposal_id, step_seq, market, instrument, quantity, multiplier, price, notional_usd, price_source, priced_at)
     select $1::uuid, e.seq, e.market, e.instrument, e.quantity, e.multiplier, e.price, e.notional, e.source, e.at
       from unnest($2::int[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::numeric[],
                   $8::numeric[], $9::text[], $10::timestamptz[])
         as e(seq, market, instrument, quantity, multiplier, price, notional, source, at)
     on conflict (proposal_id, step_seq) do update
        set market = excluded.market, instrument = excluded.instrument, quantity = excluded.quantity,
            multiplier = excluded.multiplier, price = excluded.price, notional_usd = excluded.notional_usd,
            price_source = excluded.price_source, priced_at = excluded.priced_at`,
    [
      proposalId,
      entries.map((e) => e.seq),
      entries.map((e) => e.entry.market),
      entries.map((e) => e.entry.instrument),
      entries.map((e) => e.entry.quantity),
      entries.map((e) => e.entry.multiplier),
      entries.map((e) => e.entry.price),
      entries.map((e) => e.entry.notionalUsd),
      entries.map((e) => e.entry.priceSource),
      entries.map((e) => e.entry.pricedAt),
    ],
  );
}

export interface EntryAdmission {
  readonly market: Market;
  readonly instrument: string;
  readonly quantity: string;
  readonly multiplier: string;
  readonly price: string;
  readonly notionalUsd: string;
  readonly priceSource: PriceSource;
  readonly pricedAt: Date;
}

/** What the gates admitted for one step, through its mission's proposal; undefined if nothing was. */
export async function selectStepAdmission(
  db: Queryable,
  stepId: string,
): Promise<EntryAdmission | undefined> {
  return queryOne<EntryAdmission>(
    db,
    `select a.market, a.instrument, a.quantity::text as quantity, a.multiplier::text as multiplier,
            a.price::text as price, a.notional_usd::text as "notionalUsd",
            a.price_source as "priceSource", a.priced_at as "pricedAt"
       from atc.steps s
       join atc.missions m on m.id = s.mission_id
       join atc.entry_admissions a on a.proposal_id = m.proposal_id and a.step_seq = s.seq
      where s.id = $1::uuid`,
    [stepId],
  );
}

/** A proposal's admitted entries, in step order (`explain`). */
export async function selectProposalAdmissions(
  db: Queryable,
  proposalId: string,
): Promise<(EntryAdmission & { stepSeq: number })[]> {
  return queryRows(
    db,
    `select step_seq as "stepSeq", market, instrument, quantity::text as quantity,
            multiplier::text as multiplier, price::text as price, notional_usd::text as "notionalUsd",
            price_source as "priceSource", priced_at as "pricedAt"
       from atc.entry_admissions
      where proposal_id = $1::uuid
      order by step_seq`,
    [proposalId],
  );
}

export interface OrderPricingRow {
  readonly stepSeq: number;
  readonly clientOrderId: string;
  readonly status: string;
  readonly symbol: string;
  readonly side: string;
  readonly quantity: string;
  readonly admittedNotionalUsd: string | null;
  readonly priceSource: PriceSource | null;
  readonly pricedAt: Date | null;
  readonly sendPrice: string | null;
  readonly sendNotionalUsd: string | null;
}

/** The orders of a proposal's mission with their admitted and send-time pricing (`explain`). */
export async function selectProposalOrderPricing(
  db: Queryable,
  proposalId: string,
): Promise<OrderPricingRow[]> {
  return queryRows<OrderPricingRow>(
    db,
    `select s.seq as "stepSeq", o.client_order_id as "clientOrderId", o.status, o.symbol, o.side,
            o.quantity::text as quantity, o.admitted_notional_usd::text as "admittedNotionalUsd",
            o.price_source as "priceSource", o.priced_at as "pricedAt", o.send_price::text as "sendPrice",
            o.send_notional_usd::text as "sendNotionalUsd"
       from atc.missions m
       join atc.steps s on s.mission_id = m.id
       join atc.orders o on o.step_id = s.id
      where m.proposal_id = $1::uuid
      order by s.seq, o.attempt`,
    [proposalId],
  );
}
