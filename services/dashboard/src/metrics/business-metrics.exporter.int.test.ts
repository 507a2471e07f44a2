/**
 * The exporter's values follow the database: each test changes the database through the domain (or,
 * for rows only other roles write, as those roles write them) and reads the metrics back the way
 * Prometheus does, from the registry.
 * @module
 */
import type { Clock } from '@atc/contracts';
import { Registry } from '@atc/platform';
import { captureLogger, createTestDatabase, type TestDatabase } from '@atc/platform/testing';
import {
  applySeeds,
  engageKillSwitch,
  readBusinessMetrics,
  releaseKillSwitch,
  resetLossLatch,
} from '@atc/trading';
import { insertQueuedSteps, tripLossLatch } from '@atc/trading/testing';
import { registerBusinessMetrics } from './business-metrics.exporter';

const T0 = new Date('2031-03-04T15:00:00.000Z');

describe('the business-metrics exporter over the database', () => {
  let db: TestDatabase;
  let now: Date;
  const clock: Clock = { now: () => now };
  let registry: Registry;
  const captured = captureLogger();

  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(() => {
    now = T0;
    registry = new Registry();
    // No cache: every scrape reads, so each assertion sees the database as the test left it.
    registerBusinessMetrics({
      registry,
      read: (options) => readBusinessMetrics(db.pool, options),
      clock,
      cacheMs: 0,
      logger: captured.logger,
    });
  });

  type Scrape = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;
  const scrape = (): Promise<Scrape> => registry.getMetricsAsJSON();
  const valueIn = (scraped: Scrape, name: string, labels: Record<string, string> = {}) =>
    scraped
      .find((metric) => metric.name === name)
      ?.values.find((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value))?.value;
  const value = async (name: string, labels: Record<string, string> = {}) =>
    valueIn(await scrape(), name, labels);

  it('kill switch: engaged → atc_kill_switch_engaged{scope="global"} 1, released → 0', async () => {
    expect(await value('atc_kill_switch_engaged', { scope: 'global' })).toBe(0);
    await engageKillSwitch(db.pool, { by: 'test', reason: 'drill' });
    const engaged = await scrape();
    expect(valueIn(engaged, 'atc_kill_switch_engaged', { scope: 'global' })).toBe(1);
    expect(valueIn(engaged, 'atc_kill_switch_engaged', { scope: 'crypto' })).toBe(0);
    await releaseKillSwitch(db.pool, { by: 'test', reason: 'drill over' });
    expect(await value('atc_kill_switch_engaged', { scope: 'global' })).toBe(0);
  });

  it('loss latch: tripped → 1, reset → 0', async () => {
    expect(await value('atc_loss_latch_engaged')).toBe(0);
    await tripLossLatch(db.pool, {
      trippedAt: T0.toISOString(),
      tradingDay: '2031-03-04',
      realisedPnlUsd: '-900',
    });
    expect(await value('atc_loss_latch_engaged')).toBe(1);
    await resetLossLatch(db.pool, { by: 'test', reason: 'reviewed' });
    expect(await value('atc_loss_latch_engaged')).toBe(0);
  });

  it('a queued step ages; one needing reconciliation is backlog with its age', async () => {
    const { stepIds } = await insertQueuedSteps(db.pool, {
      market: 'options',
      count: 3,
      kind: 'monitor_position',
    });
    const [due, backoff, stuck] = stepIds as [string, string, string];
    await db.pool.query(`update atc.steps set run_after = $2 where id = $1`, [
      due,
      new Date(T0.getTime() - 30_000),
    ]);
    // In backoff until after T0: not waiting yet, so it is not the oldest.
    await db.pool.query(`update atc.steps set run_after = $2 where id = $1`, [
      backoff,
      new Date(T0.getTime() + 60_000),
    ]);
    await db.pool.query(
      `update atc.steps set status = 'needs_reconciliation', updated_at = $2 where id = $1`,
      [stuck, new Date(T0.getTime() - 600_000)],
    );
    const first = await scrape();
    expect(valueIn(first, 'atc_queue_oldest_queued_age_seconds', { market: 'options' })).toBe(30);
    expect(valueIn(first, 'atc_queue_depth', { market: 'options', status: 'queued' })).toBe(2);
    expect(valueIn(first, 'atc_reconciliation_backlog', { market: 'options' })).toBe(1);
    expect(valueIn(first, 'atc_reconciliation_backlog', { market: 'crypto' })).toBe(0);
    expect(valueIn(first, 'atc_reconciliation_oldest_age_seconds', { market: 'options' })).toBe(600);
    now = new Date(T0.getTime() + 90_000);
    expect(await value('atc_queue_oldest_queued_age_seconds', { market: 'options' })).toBe(120);
    await db.pool.query(`update atc.steps set status = 'cancelled' where id = any($1::uuid[])`, [stepIds]);
  });

  it('open positions, exposure and today’s P&L by market', async () => {
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier)
       values ('crypto', 'SOL', 'long', 2, 100, 1), ('crypto', 'JUP', 'long', 1, 50, 1),
              ('options', 'SPY', 'long', 1, 3, 100)`,
    );
    const { stepIds } = await insertQueuedSteps(db.pool, {
      market: 'crypto',
      count: 2,
      kind: 'monitor_position',
    });
    await db.pool.query(
      `insert into atc.orders (step_id, attempt, client_order_id, market, symbol, side, order_type, quantity, status,
                               filled_quantity, created_at)
       values ($1, 1, 'exporter-a', 'crypto', 'SOL', 'sell', 'market', 1, 'filled', 1, $3),
              ($2, 1, 'exporter-b', 'crypto', 'SOL', 'sell', 'market', 1, 'rejected', 0, $4)`,
      [stepIds[0], stepIds[1], new Date(T0.getTime() - 60_000), new Date(T0.getTime() - 2 * 3_600_000)],
    );
    await db.pool.query(
      `insert into atc.fills (order_id, market, venue_fill_id, side, quantity, price, realised_pnl, filled_at)
       select id, 'crypto', 'fill-a', 'sell', 1, 110, 12.5, $1 from atc.orders where client_order_id = 'exporter-a'`,
      [new Date(T0.getTime() - 60_000)],
    );
    const scraped = await scrape();
    expect(valueIn(scraped, 'atc_positions_open', { market: 'crypto' })).toBe(2);
    expect(valueIn(scraped, 'atc_positions_open', { market: 'futures' })).toBe(0);
    expect(valueIn(scraped, 'atc_exposure_usd', { market: 'crypto' })).toBe(250);
    expect(valueIn(scraped, 'atc_exposure_usd', { market: 'options' })).toBe(300);
    expect(valueIn(scraped, 'atc_pnl_today_usd', { market: 'crypto' })).toBe(12.5);
    expect(valueIn(scraped, 'atc_trade_executions_last_hour', { market: 'crypto', result: 'filled' })).toBe(
      1,
    );
    // Two hours old: outside the window.
    expect(valueIn(scraped, 'atc_trade_executions_last_hour', { market: 'crypto', result: 'rejected' })).toBe(
      0,
    );
  });

  it('a succeeded heartbeat run: last success time, duration, phase durations and drift', async () => {
    const phases = [
      { name: 'mark_to_market', status: 'success', durationMs: 200, budgetMs: 1000 },
      {
        name: 'reconcile',
        status: 'success',
        durationMs: 300,
        budgetMs: 1000,
        summary: { drift: 2, 'drift:futures': 2 },
      },
    ];
    const run = (status: string, startedMinutesAgo: number, durationMs: number) =>
      db.pool.query(
        `insert into atc.heartbeat_runs (status, owner, started_at, finished_at, duration_ms, phases)
         values ($1, 'test', $2, $3, $4, $5)`,
        [
          status,
          new Date(T0.getTime() - startedMinutesAgo * 60_000),
          new Date(T0.getTime() - startedMinutesAgo * 60_000 + durationMs),
          durationMs,
          JSON.stringify(phases),
        ],
      );
    expect(await value('atc_heartbeat_last_success_timestamp_seconds')).toBe(0);
    await run('success', 5, 1234);
    await run('partial_failure', 2, 50);
    await run('skipped', 1, 0);
    await run('success', 90, 10);
    const scraped = await scrape();
    const finished = (T0.getTime() - 5 * 60_000 + 1234) / 1000;
    expect(valueIn(scraped, 'atc_heartbeat_last_success_timestamp_seconds')).toBe(finished);
    expect(valueIn(scraped, 'atc_heartbeat_last_success_duration_seconds')).toBe(1.234);
    expect(
      valueIn(scraped, 'atc_heartbeat_last_success_phase_duration_seconds', { phase: 'reconcile' }),
    ).toBe(0.3);
    expect(valueIn(scraped, 'atc_position_drift', { market: 'futures' })).toBe(2);
    expect(valueIn(scraped, 'atc_position_drift', { market: 'crypto' })).toBe(0);
    expect(valueIn(scraped, 'atc_heartbeat_runs_last_hour', { outcome: 'succeeded' })).toBe(1);
    expect(valueIn(scraped, 'atc_heartbeat_runs_last_hour', { outcome: 'failed' })).toBe(1);
    expect(valueIn(scraped, 'atc_heartbeat_runs_last_hour', { outcome: 'skipped' })).toBe(1);
  });

  it('a failing query: errors_total +1, the previous values kept, logged once, then fresh again', async () => {
    expect(await value('atc_kill_switch_engaged', { scope: 'global' })).toBe(0);
    const succeededAt = await value('atc_exporter_last_success_timestamp_seconds');
    expect(succeededAt).toBe(T0.getTime() / 1000);
    await db.pool.query(`alter table atc.heartbeat_runs rename to heartbeat_runs_away`);
    try {
      await engageKillSwitch(db.pool, { by: 'test', reason: 'while the exporter fails' });
      now = new Date(T0.getTime() + 15_000);
      const failing = await scrape();
      expect(valueIn(failing, 'atc_exporter_errors_total')).toBe(1);
      expect(valueIn(failing, 'atc_kill_switch_engaged', { scope: 'global' })).toBe(0);
      expect(valueIn(failing, 'atc_exporter_last_success_timestamp_seconds')).toBe(succeededAt);
      expect(valueIn(await scrape(), 'atc_exporter_errors_total')).toBe(2);
      const failures = captured.records.filter(
        (r) => r.msg === 'business metrics read failed; the previous values are kept',
      );
      expect(failures).toHaveLength(1);
    } finally {
      await db.pool.query(`alter table atc.heartbeat_runs_away rename to heartbeat_runs`);
    }
    const recovered = await scrape();
    expect(valueIn(recovered, 'atc_kill_switch_engaged', { scope: 'global' })).toBe(1);
    expect(valueIn(recovered, 'atc_exporter_errors_total')).toBe(2);
    expect(valueIn(recovered, 'atc_exporter_last_success_timestamp_seconds')).toBe(now.getTime() / 1000);
    await releaseKillSwitch(db.pool, { by: 'test' });
  });
});
