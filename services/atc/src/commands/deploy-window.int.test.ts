import path from 'node:path';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';
import { applySeeds } from '@atc/trading';

// `atc deploy-window` as a pipeline runs it: a real process against a seeded database, the instant
// fixed with --at (never today's date), the exit code the gate.
describe('atc deploy-window', () => {
  let db: TestDatabase;
  let cli: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await applySeeds(db.pool);
    cli = await bundleForTest(path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'), REPOSITORY_ROOT);
  }, 120_000);
  afterAll(() => db.drop());

  const atc = async (...args: string[]) => {
    const run = runNode([cli, ...args], childEnvironment({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };

  it('exits 1 inside market hours and says which market and when the next window is', async () => {
    const { code, stdout, stderr } = await atc('deploy-window', '--at', '2026-12-16T15:00:00Z');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      'deploy window CLOSED at 2026-12-16T15:00:00.000Z: options, futures trading (next window 2026-12-16T22:00:00.000Z)',
      '  options  simulation open — blocks',
      '  futures  simulation open — blocks',
      '',
    ]);
  });

  it('exits 0 on a weekend, and on a holiday when both markets are closed (--json)', async () => {
    expect(await atc('deploy-window', '--at', '2026-12-19T15:00:00Z')).toMatchObject({ code: 0 });
    const { code, stdout } = await atc('deploy-window', '--at', '2026-12-25T15:00:00Z', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ open: true, closesAt: '2026-12-27T23:00:00.000Z' });
  });

  it('a market halted for the deploy stops blocking; crypto blocks only when named', async () => {
    const at = '2026-12-16T15:00:00Z';
    expect(await atc('kill-switch', 'on', '--market', 'futures', '--reason', 'deploy 1.4')).toMatchObject({
      code: 0,
    });
    expect(await atc('deploy-window', '--at', at, '--markets', 'futures')).toMatchObject({ code: 0 });
    expect(await atc('deploy-window', '--at', at)).toMatchObject({ code: 1 });
    expect(await atc('deploy-window', '--at', '2026-12-19T15:00:00Z', '--markets', 'crypto')).toMatchObject({
      code: 1,
    });
  });

  it('refuses a bad --markets or --at with exit 2, before any decision', async () => {
    const markets = await atc('deploy-window', '--markets', 'stocks');
    expect(markets).toMatchObject({ code: 2, stdout: '' });
    expect(markets.stderr).toMatch(/--markets takes a comma-separated list of crypto, options, futures/);
    expect(await atc('deploy-window', '--at', 'tomorrow')).toMatchObject({ code: 2, stdout: '' });
  });
});
