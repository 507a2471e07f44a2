/**
 * Routes that exist only in the HTTP stack's tests: a GET with params and query, and a POST with a
 * nested body that writes a row to a scratch table in the atc schema (so the fuzz test's row counts
 * of every atc.* table would see a refused request that wrote).
 * @module
 */
import { z } from 'zod';
import type { Pool } from '@atc/platform';
import { type ApiRoute, created, defineRoute, ok } from '../api-route';

const DecimalString = z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, 'must be a positive decimal string');

export async function createScratchTable(pool: Pool): Promise<void> {
  await pool.query(
    `create table atc.api_scratch_orders (
       id bigint generated always as identity primary key,
       market text not null,
       trades jsonb not null,
       note text,
       requested_by text not null
     )`,
  );
}

export const scratchItemRoute = defineRoute({
  method: 'GET',
  path: '/api/scratch/items/:itemId',
  access: 'read',
  summary: 'Echoes a scratch item (tests only).',
  tag: 'scratch',
  params: z.strictObject({ itemId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a lowercase slug') }),
  query: z.strictObject({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    tag: z.string().max(40).optional(),
  }),
  response: z.strictObject({ itemId: z.string(), limit: z.number(), tag: z.string().nullable() }),
  handle: ({ params, query }) =>
    Promise.resolve(ok({ itemId: params.itemId, limit: query.limit, tag: query.tag ?? null })),
});

export const scratchOrderRoute = defineRoute({
  method: 'POST',
  path: '/api/scratch/orders',
  access: 'proposals.submit',
  summary: 'Records a scratch order (tests only).',
  tag: 'scratch',
  writes: true,
  body: z.strictObject({
    market: z.enum(['crypto', 'options', 'futures']),
    trades: z
      .array(z.strictObject({ symbol: z.string().regex(/^[A-Z]{1,10}$/), amount: DecimalString }))
      .min(1)
      .max(10),
    note: z.string().max(200).optional(),
  }),
  response: z.strictObject({ id: z.string() }),
  successStatus: 201,
  handle: async ({ body }, context) => {
    const { rows } = await context.pool.query<{ id: string }>(
      `insert into atc.api_scratch_orders (market, trades, note, requested_by)
       values ($1::text, $2::jsonb, $3::text, $4::text)
       returning id::text as id`,
      [body.market, JSON.stringify(body.trades), body.note ?? null, context.principal?.name ?? 'nobody'],
    );
    return created({ id: rows[0]!.id });
  },
});

export const scratchRoutes: readonly ApiRoute[] = [scratchItemRoute, scratchOrderRoute];
