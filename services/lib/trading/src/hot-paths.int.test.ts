/**
 * The hot queries of the trading core are served by an index. With sequential scans priced out,
 * a plan that still scans a whole table means no index fits the query (design.md §6).
 * @module
 */
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';

const hotQueries: Record<string, { text: string; values: unknown[] }> = {
  'proposals by status, newest first': {
    text: `select id from atc.proposals where status = $1::text order by created_at desc limit 50`,
    values: ['awaiting_approval'],
  },
  'the expiry sweep': {
    text: `select id from atc.proposals where status = 'awaiting_approval' and expires_at <= now() order by expires_at limit 100`,
    values: [],
  },
  'a replay by source trace id': {
    text: `select id from atc.proposals where source_trace_id = $1::text`,
    values: ['trace'],
  },
  'today’s realised P&L': {
    text: `select coalesce(sum(realised_pnl), 0) from atc.fills
            where filled_at >= ($2::date::timestamp at time zone $1::text)
              and filled_at < (($2::date + 1)::timestamp at time zone $1::text)`,
    values: ['America/New_York', '2031-01-06'],
  },
  'unsettled entries': {
    text: `select count(*) from atc.steps
            where kind = 'execute_trade' and status in ('queued', 'running', 'executing', 'needs_reconciliation')`,
    values: [],
  },
  'claimable steps of a market': {
    text: `select id from atc.steps where market = $1::text and status = 'queued' and run_after <= now()`,
    values: ['crypto'],
  },
  'expired leases (lease recovery)': {
    text: `select id from atc.steps
            where status in ('running', 'executing') and lease_expires_at < now()
            order by lease_expires_at limit 500`,
    values: [],
  },
  'steps waiting for reconciliation': {
    text: `select id from atc.steps where status = 'needs_reconciliation' and market is not null`,
    values: [],
  },
  'queue depth by market and status': {
    text: `select market, status, count(*) from atc.steps
            where status in ('queued', 'running', 'executing', 'needs_reconciliation')
            group by market, status`,
    values: [],
  },
  'open positions': {
    text: `select id from atc.positions where status = 'open'`,
    values: [],
  },
  'an order by client order id': {
    text: `select id from atc.orders where client_order_id = $1::text`,
    values: ['atc-x-1'],
  },
  'events after an id': {
    text: `select id from atc.events where id > $1::bigint order by id limit 500`,
    values: ['0'],
  },
  'the audit chain head': {
    text: `select hash from atc.audit_log order by id desc limit 1`,
    values: [],
  },
};

describe('hot paths use indexes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each(Object.entries(hotQueries))('%s', async (_name, query) => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
        `explain (format json) ${query.text}`,
        query.values,
      );
      await client.query('rollback');
      expect(JSON.stringify(rows[0]!['QUERY PLAN'])).not.toContain('Seq Scan');
    } finally {
      client.release();
    }
  });
});
