import { randomUUID } from 'node:crypto';
import { withTransaction, type PoolClient } from '@atc/platform';
import { createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import { engageKillSwitch, releaseKillSwitch } from './kill-switch';
import { applyFill, recordOrderIntent, setOrderStatus } from './ledger';
import { submitProposal } from './proposal-intake';
import { applySeeds } from './seeds';
import { analysisProposal, tradeProposal, insertTestMarks } from './testing/proposal.fixtures';

describe('ledger', () => {
  let db: TestDatabase;
  let stepId: string;
  let attempt = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    await insertTestMarks(db.pool);
    const decision = await submitProposal(db.pool, tradeProposal(), { asOf: new Date() });
    const { rows } = await db.pool.query<{ id: string }>('select id from atc.steps where mission_id = $1', [
      decision.missionId,
    ]);
    stepId = rows[0]!.id;
  });
  afterAll(async () => {
    await db.drop();
  });

  const tx = <T>(work: (client: PoolClient) => Promise<T>) => withTransaction(db.pool, work);

  async function order(symbol: string, side: 'buy' | 'sell', quantity: string, multiplier = '1') {
    attempt++;
    return tx((c) =>
      recordOrderIntent(c, {
        stepId,
        attempt,
        market: 'crypto',
        symbol,
        side,
        orderType: 'market',
        quantity,
        multiplier,
        actor: 'worker:test',
      }),
    );
  }
  const fillOf = (
    clientOrderId: string,
    quantity: string,
    price: string,
    venueFillId: string = randomUUID(),
    fee?: string,
  ) =>
    tx((c) =>
      applyFill(c, {
        clientOrderId,
        venueFillId,
        quantity,
        price,
        fee,
        filledAt: new Date(),
        actor: 'worker:test',
      }),
    );

  async function position(symbol: string) {
    const { rows } = await db.pool.query<Record<string, string>>(
      `select side, quantity::text, average_price::text as avg, realised_pnl::text as pnl, status
         from atc.positions where symbol = $1 order by opened_at, status`,
      [symbol],
    );
    return rows;
  }

  it('the order intent has a deterministic, venue-safe client order id and is idempotent per attempt', async () => {
    const first = await order('SYM-A', 'buy', '1');
    expect(first.clientOrderId).toBe(`atc-${stepId}-${attempt}`);
    expect(first.clientOrderId).toMatch(/^[A-Za-z0-9-]+$/);
    const again = await tx((c) =>
      recordOrderIntent(c, {
        stepId,
        attempt,
        market: 'crypto',
        symbol: 'SYM-A',
        side: 'buy',
        orderType: 'market',
        quantity: '1',
        multiplier: '1',
        actor: 'worker:test',
      }),
    );
    expect(again.id).toBe(first.id);
    const updated = await tx((c) =>
      setOrderStatus(c, {
        clientOrderId: first.clientOrderId,
        status: 'submitted',
        venueOrderId: 'v-1',
        actor: 'worker:test',
      }),
    );
    expect(updated).toMatchObject({ status: 'submitted', venueOrderId: 'v-1' });
  });

  it('long: partial fills, scale-in, then a close with realised P&L and an outcome', async () => {
    const buy = await order('SOL', 'buy', '10');
    await fillOf(buy.clientOrderId, '4', '100');
    await fillOf(buy.clientOrderId, '6', '110');
    expect(await position('SOL')).toEqual([
      { side: 'long', quantity: '10', avg: '106', pnl: '0', status: 'open' },
    ]);
    const { rows: filled } = await db.pool.query(
      'select status, filled_quantity::text as q, average_fill_price::text as p from atc.orders where id = $1',
      [buy.id],
    );
    expect(filled).toEqual([{ status: 'filled', q: '10', p: '106' }]);
    const sell = await order('SOL', 'sell', '10');
    await fillOf(sell.clientOrderId, '5', '120');
    const closing = await fillOf(sell.clientOrderId, '5', '100');
    expect(closing.realisedPnl).toBe('-30');
    expect(await position('SOL')).toEqual([
      { side: 'long', quantity: '0', avg: '106', pnl: '40', status: 'closed' },
    ]);
    const { rows } = await db.pool.query(
      `select outcome_type, realised_pnl::text as pnl, entry_price::text as entry, exit_price::text as exit from atc.outcomes where symbol = 'SOL'`,
    );
    expect(rows).toEqual([{ outcome_type: 'win', pnl: '40', entry: '106', exit: '110' }]);
  });

  it('short with a loss', async () => {
    const sell = await order('ETH', 'sell', '2');
    await fillOf(sell.clientOrderId, '2', '2000');
    const buy = await order('ETH', 'buy', '2');
    const result = await fillOf(buy.clientOrderId, '2', '2050.25');
    expect(result.realisedPnl).toBe('-100.5');
    expect(result.outcomeId).not.toBeNull();
    expect(await position('ETH')).toEqual([
      { side: 'short', quantity: '0', avg: '2000', pnl: '-100.5', status: 'closed' },
    ]);
  });

  it('the same venue fill delivered twice is applied once', async () => {
    const buy = await order('BONK', 'buy', '5');
    const venueFillId = 'sig-5xyz';
    const first = await fillOf(buy.clientOrderId, '5', '0.00002', venueFillId);
    const second = await fillOf(buy.clientOrderId, '5', '0.00002', venueFillId);
    expect([first.applied, second.applied]).toEqual([true, false]);
    expect(await position('BONK')).toEqual([
      { side: 'long', quantity: '5', avg: '0.00002', pnl: '0', status: 'open' },
    ]);
    const { rows } = await db.pool.query(
      `select count(*)::int as n from atc.fills where venue_fill_id = $1`,
      [venueFillId],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('concurrent duplicate deliveries of one fill still apply once', async () => {
    const buy = await order('WIF', 'buy', '1');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => fillOf(buy.clientOrderId, '1', '2', 'dup-fill')),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(await position('WIF')).toEqual([
      { side: 'long', quantity: '1', avg: '2', pnl: '0', status: 'open' },
    ]);
  });

  it('while halted, a close_position proposal passes (policy allows closing) and an entry does not', async () => {
    await engageKillSwitch(db.pool, { reason: 'drill', by: 'operator:test' });
    try {
      const close = analysisProposal({
        steps: [{ kind: 'close_position', market: 'crypto', symbol: 'WIF', reason: 'de-risk' }],
      });
      expect(await submitProposal(db.pool, close, { asOf: new Date() })).toMatchObject({
        status: 'approved',
      });
      expect(await submitProposal(db.pool, tradeProposal(), { asOf: new Date() })).toMatchObject({
        reasonCode: 'kill_switch',
      });
    } finally {
      await releaseKillSwitch(db.pool, { by: 'operator:test' });
    }
  });

  it('a realised loss beyond the daily limit trips the reduce-only latch', async () => {
    const buy = await order('JUP', 'buy', '100');
    await fillOf(buy.clientOrderId, '100', '1');
    const sell = await order('JUP', 'sell', '100');
    await fillOf(sell.clientOrderId, '100', '0.3');
    // The latch is stamped with the decision's instant, not the gates' wall clock.
    const asOf = new Date(Date.now() + 30_000);
    const first = await submitProposal(db.pool, tradeProposal(), { asOf });
    expect(first).toMatchObject({ status: 'rejected', reasonCode: 'daily_loss_limit' });
    const latch = await db.pool.query<{ tripped_at: string }>(
      `select value->'lossLatch'->>'trippedAt' as tripped_at from atc.policies where key = 'halts'`,
    );
    expect(latch.rows[0]!.tripped_at).toBe(asOf.toISOString());
    expect(await submitProposal(db.pool, tradeProposal(), { asOf: new Date() })).toMatchObject({
      reasonCode: 'daily_loss_latched',
    });
  });
});
