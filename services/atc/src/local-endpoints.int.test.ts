import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeScratchDirectory } from '@atc/platform';
import {
  bundleForTest,
  childEnvironment,
  createTestDatabase,
  REPOSITORY_ROOT,
  runNode,
  type TestDatabase,
} from '@atc/platform/testing';
import {
  loadSimulatorConfig,
  simulatorOptionsFromConfig,
  startSimulator,
  type RunningSimulator,
} from '@atc/simulator';
import { localCompanyEnvironment, localSimulatorBaseUrls, writeLocalState } from './local-state';

// `atc reconcile` outside `atc up` finds the running local company's venues the way it finds its
// database: from .atc/local.json. Before, it called the default simulator port and logged
// ECONNREFUSED for every venue while the simulator listened elsewhere.
describe('commands find the local company endpoints', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startSimulator(
      simulatorOptionsFromConfig(loadSimulatorConfig({ SIM_TICK_INTERVAL_MS: '0' }), { seed: 3, port: 0 }),
    );
    home = makeScratchDirectory('atc-local-endpoints-');
    // This test process stands in for the `atc up` that owns the state file.
    writeLocalState(home, {
      pid: process.pid,
      databaseUrl: db.url,
      dashboardUrl: 'http://localhost:1',
      venueBaseUrls: localSimulatorBaseUrls(Number(new URL(sim.url).port)),
      startedAt: new Date().toISOString(),
    });
  });
  afterAll(async () => {
    await sim.close();
    await db.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('fills the database and venue URLs the environment leaves unset; an explicit variable wins', () => {
    const env = localCompanyEnvironment(home, { TRADIER_BASE_URL: 'http://tradier.example/v1' });
    expect(env.DATABASE_URL).toBe(db.url);
    expect(env.SOLANA_RPC_URL).toBe(`${sim.url}/solana`);
    expect(env.TRADIER_BASE_URL).toBe('http://tradier.example/v1');
    // Against another database, the local simulator is never mixed in.
    expect(
      localCompanyEnvironment(home, { DATABASE_URL: 'postgres://elsewhere/x' }).SOLANA_RPC_URL,
    ).toBeUndefined();
  });

  it('atc reconcile without DATABASE_URL or venue variables talks to the local simulator', async () => {
    const bundle = await bundleForTest(
      path.join(REPOSITORY_ROOT, 'services/atc/src/main.ts'),
      REPOSITORY_ROOT,
    );
    const unset = Object.fromEntries(Object.keys(localSimulatorBaseUrls(1)).map((key) => [key, undefined]));
    const run = runNode(
      [bundle, 'reconcile', '--json'],
      childEnvironment({ ...unset, ATC_HOME: home, LOG_LEVEL: 'warn', SIM_PORT: '1' }),
    );
    const { code } = await run.exited;
    expect(run.stderr()).not.toMatch(/ECONNREFUSED/);
    expect(code).toBe(0);
    // stdout is the answer alone (log lines go to stderr), and it comes from the simulator's wallet.
    const report = JSON.parse(run.stdout()) as { stillUnknown: number; drift: { venue: string }[] };
    expect(report.stillUnknown).toBe(0);
    expect(report.drift.every((d) => d.venue === 'jupiter-solana')).toBe(true);
  }, 60_000);
});
