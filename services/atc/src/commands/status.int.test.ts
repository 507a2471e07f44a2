import path from 'node:path';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';
import { readCompanyStatus } from '@atc/trading';

// `atc status` as an operator runs it: a real process against a seeded database.
describe('atc status', () => {
  let db: TestDatabase;
  let cli: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    cli = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
    await db.pool.query(
      `insert into atc.positions (market, symbol, side, quantity, average_price, multiplier, mark_price, marked_at)
       values ('futures', 'MES', 'long', 2, 5000, 5, 5010.25, now()),
              ('crypto', 'SOL', 'short', 3, 100, 1, 90.5, now()),
              ('options', 'SPY250620C00500000', 'long', 1, 2.5, 100, null, null)`,
    );
    await db.pool.query(
      `insert into atc.heartbeat_runs (status, owner, started_at, finished_at, duration_ms, phases, errors)
       values ('partial_failure', 'host:1', now() - interval '30 seconds', now() - interval '29 seconds', 812,
               '[{"name":"evaluate_triggers","status":"success","durationMs":41,"budgetMs":5000,"summary":{"fired":0}},
                 {"name":"reconcile","status":"failed","durationMs":760,"budgetMs":500}]',
               '[{"phase":"reconcile","code":"budget_exceeded","message":"x"}]')`,
    );
    await db.pool.query(
      `insert into atc.venue_health (venue, reporter, breaker_state, reported_at)
       values ('tradier', 'heartbeat', 'open', now()), ('jupiter', 'heartbeat', 'closed', now())`,
    );
  }, 120_000);
  afterAll(() => db.drop());

  const atc = async (...args: string[]) => {
    const run = runNode([cli, ...args], childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };

  it('--json: positions with unrealised P&L from marks, P&L today, queue, heartbeat, breakers, halts, backlog', async () => {
    const { code, stdout, stderr } = await atc('status', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(status).sort()).toEqual(
      [
        'asOf',
        'breakers',
        'halts',
        'heartbeat',
        'markets',
        'pnl',
        'positions',
        'queue',
        'reconciliation',
      ].sort(),
    );
    expect(status.positions).toEqual([
      expect.objectContaining({ market: 'crypto', symbol: 'SOL', side: 'short', unrealisedPnl: '28.5' }),
      expect.objectContaining({ market: 'futures', symbol: 'MES', side: 'long', unrealisedPnl: '102.5' }),
      expect.objectContaining({ market: 'options', markPrice: null, unrealisedPnl: null }),
    ]);
    expect(status.pnl).toEqual({
      tradingDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      timeZone: 'America/New_York',
      realisedToday: '0',
      realisedTodayByMarket: {},
      unrealised: '131',
      unmarkedPositions: 1,
    });
    expect(status.queue).toEqual([]);
    expect(status.heartbeat).toEqual({
      lastRun: expect.objectContaining({
        status: 'partial_failure',
        durationMs: 812,
        errors: [expect.objectContaining({ code: 'budget_exceeded' })],
        // In run order, with only the keys a reader shows (the web app's Overview lists them).
        phases: [
          { name: 'evaluate_triggers', status: 'success', durationMs: 41 },
          { name: 'reconcile', status: 'failed', durationMs: 760 },
        ],
      }) as unknown,
    });
    expect(status.breakers).toEqual([
      expect.objectContaining({ venue: 'jupiter', state: 'closed', reporter: 'heartbeat' }),
      expect.objectContaining({ venue: 'tradier', state: 'open' }),
    ]);
    expect(status.halts).toMatchObject({ global: null, lossLatch: null });
    expect(status.reconciliation).toEqual({ count: 0, oldestAgeSeconds: null });
  }, 30_000);

  it('prints a readable report without --json', async () => {
    const { code, stdout } = await atc('status');
    expect(code).toBe(0);
    expect(stdout).toContain('last heartbeat:  partial_failure');
    expect(stdout).toContain('1 position(s) not yet marked');
    expect(stdout).toMatch(/tradier\s+open/);
    // The real clock: crypto is always open, the others open or closed with a reason.
    expect(stdout).toMatch(
      /markets: +crypto open; options (open|closed \(.+\)); futures (open|closed \(.+\))/,
    );
  }, 30_000);

  it.each([
    ['2026-12-16T15:00:00Z', ['open', 'open', 'open']],
    ['2026-12-16T12:00:00Z', ['open', 'closed (before open)', 'open']],
    ['2026-12-19T15:00:00Z', ['open', 'closed (weekend)', 'closed (weekend)']],
    ['2026-12-25T15:00:00Z', ['open', 'closed (holiday: Christmas Day)', 'closed (holiday: Christmas Day)']],
  ])('at %s reports each market open or closed, with why', async (at, sessions) => {
    const status = await readCompanyStatus(db.pool, new Date(at));
    expect(status.markets.map((m) => [m.market, m.session])).toEqual([
      ['crypto', sessions[0]],
      ['options', sessions[1]],
      ['futures', sessions[2]],
    ]);
  });
});
