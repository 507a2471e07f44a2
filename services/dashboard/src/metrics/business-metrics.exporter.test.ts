import type { Clock } from '@atc/contracts';
import { Registry, silentLogger } from '@atc/platform';
import type { BusinessMetricsSnapshot } from '@atc/trading';
import { registerBusinessMetrics, type ReadSnapshot } from './business-metrics.exporter';

const T0 = new Date('2031-03-04T15:00:00.000Z');
const zero = { crypto: 0, options: 0, futures: 0 };

function snapshot(asOf: Date, globalHalt: boolean): BusinessMetricsSnapshot {
  return {
    asOf,
    heartbeat: {
      lastSuccessAt: null,
      lastSuccessDurationSeconds: null,
      lastSuccessPhaseSeconds: [],
      runsLastHour: { succeeded: 0, failed: 0, skipped: 0 },
    },
    queue: [],
    oldestQueuedAgeSeconds: zero,
    reconciliation: {
      crypto: { count: 0, oldestAgeSeconds: 0 },
      options: { count: 0, oldestAgeSeconds: 0 },
      futures: { count: 0, oldestAgeSeconds: 0 },
    },
    positionsOpen: zero,
    exposureUsd: { crypto: '0', options: '0', futures: '0' },
    pnlTodayUsd: { crypto: '-12.25', options: '0', futures: '0' },
    killSwitch: { global: globalHalt, crypto: false, options: false, futures: false },
    lossLatchEngaged: false,
    positionDrift: zero,
    tradeExecutionsLastHour: [],
  };
}

describe('business-metrics exporter: one snapshot per scrape window', () => {
  let now: Date;
  const clock: Clock = { now: () => now };
  let reads: number;
  let release: (() => void) | undefined;
  let registry: Registry;

  beforeEach(() => {
    now = T0;
    reads = 0;
    release = undefined;
    registry = new Registry();
  });

  const register = (read: ReadSnapshot, cacheMs = 5_000) =>
    registerBusinessMetrics({ registry, read, clock, cacheMs, logger: silentLogger() });

  it('every gauge of one scrape shares one read (single flight), even while the read is slow', async () => {
    register(async ({ asOf }) => {
      reads += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return snapshot(asOf, false);
    });
    const scrapes = [registry.metrics(), registry.metrics()];
    // Both scrapes wait on the one read in flight.
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(1);
    release!();
    const [text] = await Promise.all(scrapes);
    expect(text).toContain('atc_pnl_today_usd{market="crypto"} -12.25');
    expect(reads).toBe(1);
  });

  it('a snapshot answers scrapes for EXPORTER_CACHE_MS, then the next scrape reads again', async () => {
    register(({ asOf }) => {
      reads += 1;
      return Promise.resolve(snapshot(asOf, reads > 1));
    });
    expect(await registry.metrics()).toContain('atc_kill_switch_engaged{scope="global"} 0');
    now = new Date(T0.getTime() + 4_999);
    expect(await registry.metrics()).toContain('atc_kill_switch_engaged{scope="global"} 0');
    expect(reads).toBe(1);
    now = new Date(T0.getTime() + 5_000);
    expect(await registry.metrics()).toContain('atc_kill_switch_engaged{scope="global"} 1');
    expect(reads).toBe(2);
  });

  it('never fails the scrape: a read failing from the start exports no business values, only the error', async () => {
    register(() => Promise.reject(new Error('database down')), 0);
    const text = await registry.metrics();
    expect(text).toContain('atc_exporter_errors_total 1');
    expect(text).toContain('atc_exporter_last_success_timestamp_seconds 0');
    expect(text).not.toMatch(/^atc_kill_switch_engaged\{/m);
  });

  it('registers exactly the contract names (alert rules and dashboards use them; docs/operations/metrics.md)', () => {
    register(({ asOf }) => Promise.resolve(snapshot(asOf, false)));
    expect(
      registry
        .getMetricsAsArray()
        .map((metric) => metric.name)
        .sort(),
    ).toEqual([
      'atc_exporter_errors_total',
      'atc_exporter_last_success_timestamp_seconds',
      'atc_exporter_query_duration_seconds',
      'atc_exposure_usd',
      'atc_heartbeat_last_success_duration_seconds',
      'atc_heartbeat_last_success_phase_duration_seconds',
      'atc_heartbeat_last_success_timestamp_seconds',
      'atc_heartbeat_runs_last_hour',
      'atc_kill_switch_engaged',
      'atc_loss_latch_engaged',
      'atc_pnl_today_usd',
      'atc_position_drift',
      'atc_positions_open',
      'atc_queue_depth',
      'atc_queue_oldest_queued_age_seconds',
      'atc_reconciliation_backlog',
      'atc_reconciliation_oldest_age_seconds',
      'atc_trade_executions_last_hour',
    ]);
  });
});
